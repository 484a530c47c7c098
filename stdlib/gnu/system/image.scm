;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system image): the generic disk images and image types.
;;;
;;; The model of GNU Guix 1.5's module of the same name: the root partition
;;; and EFI system partition, the generic images (MBR, hybrid, EFI, ISO 9660,
;;; Docker, tarball, WSL2), the image types that turn an operating system
;;; into one of them (mbr-raw, mbr-hybrid-raw, efi-raw, efi32-raw, qcow2,
;;; iso9660, uncompressed-iso9660, docker, docker-layered, tarball, wsl2,
;;; raw-with-offset), image-with-os, image-with-label, system-image, and the
;;; registry of image types, %image-types, with lookup-image-type-by-name.
;;;
;;; Where schemos differs from Guix, and why:
;;;
;;; - 'system-image' returns a <system-image> object, a file-like object
;;;   carrying the image and the target it is built for, instead of Guix's
;;;   genimage derivation: schemos' image backend (schemos/image/, written
;;;   in Python) builds disk images.  Lowering a <system-image> calls the
;;;   procedure the backend registers with 'set-system-image-lowerer!', and
;;;   fails with a clear message when there is none.
;;; - Guix builds an image of a modified operating system
;;;   ('operating-system-for-image'): its "/" is mounted by a UUID computed
;;;   from the operating system with Guile's 'hash', and the root partition
;;;   keeps the label "Guix_image" (root-label).  schemos builds the image of
;;;   the operating system as written, the one 'schemos build' shows, so the
;;;   root partition must carry what that operating system mounts "/" by:
;;;   'image-with-root-file-system' (a schemos extension) gives it the label
;;;   or UUID of the operating system's root file system.
;;; - Guix finds image types by scanning every module under
;;;   gnu/system/images/ on the load path; schemos asks the image modules it
;;;   has, this one and (gnu system images hurd).
;;; - 'raw-image-type' (named 'raw) and 'find-image' are not in Guix 1.5:
;;;   'raw' is the MBR image of mbr-raw-image-type under the short name the
;;;   image backend's users know, and 'find-image' is Guix 1.2's procedure
;;;   (from the time of 'guix system disk-image'), choosing an image from a
;;;   file system type and a target.

(define-module (gnu system image)
  #:use-module ((guix records) #:hide (define-record-type*))
  #:use-module (schemos system-support)
  #:use-module (guix gexp)
  #:use-module (guix platform)
  #:use-module (guix utils)
  #:use-module (gnu image)
  #:use-module (gnu system)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system uuid)
  #:use-module ((srfi srfi-1) #:prefix srfi-1:)
  #:use-module (srfi srfi-26)
  #:use-module (ice-9 match)
  #:export (root-offset
            root-label
            image-without-os

            esp-partition
            esp32-partition
            root-partition

            mbr-disk-image
            mbr-hybrid-disk-image
            efi-disk-image
            iso9660-image
            docker-image
            docker-layered-image
            tarball-image
            wsl2-image
            raw-with-offset-disk-image

            image-with-os
            mbr-raw-image-type
            mbr-hybrid-raw-image-type
            efi-raw-image-type
            efi32-raw-image-type
            qcow2-image-type
            iso-image-type
            uncompressed-iso-image-type
            docker-image-type
            docker-layered-image-type
            tarball-image-type
            wsl2-image-type
            raw-with-offset-image-type
            raw-image-type                        ;schemos

            image-with-label
            system-image
            find-image                            ;Guix 1.2

            %image-types
            lookup-image-type-by-name

            ;; schemos extensions, for the image backend.
            root-partition?
            find-root-partition
            image-with-root-file-system
            system-image?
            system-image-image
            system-image-target
            set-system-image-lowerer!))


;;;
;;; Images definitions.
;;;

;; This is the offset before the first partition. GRUB will install itself in
;; this post-MBR gap.
(define root-offset (* 512 2048))

;; Generic root partition label.
(define root-label "Guix_image")

(define-syntax-rule (image-without-os . fields)
  "Return an image record with the mandatory operating-system field set to
#false.  This is useful when creating an image record that will serve as a
parent image record."
  (image (operating-system #false) . fields))

(define esp-partition
  (partition
   (size (* 40 (expt 2 20)))
   (offset root-offset)
   (label "GNU-ESP") ;cosmetic only
   ;; "vfat" since this property is used when mounting; the actual FAT-ness
   ;; depends on the file system size (16 here).
   (file-system "vfat")
   (flags '(esp))
   (initializer (gexp initialize-efi-partition))))

(define esp32-partition
  (partition
   (inherit esp-partition)
   (initializer (gexp initialize-efi32-partition))))

(define root-partition
  (partition
   (size 'guess)
   (label root-label)
   (file-system "ext4")
   ;; Without the metadata_csum and 64bit features of ext4, which U-Boot
   ;; does not support.
   (file-system-options (list "-O" "^metadata_csum,^64bit"))
   (flags '(boot))
   (initializer (gexp initialize-root-partition))))

(define mbr-disk-image
  (image-without-os
   (format 'disk-image)
   (partition-table-type 'mbr)
   (partitions
    (list (partition
           (inherit root-partition)
           (offset root-offset))))))

(define mbr-hybrid-disk-image
  (image-without-os
   (format 'disk-image)
   (partition-table-type 'mbr)
   (partitions
    (list esp-partition root-partition))))

(define efi-disk-image
  (image-without-os
   (format 'disk-image)
   (partition-table-type 'gpt)
   (partitions (list esp-partition root-partition))))

(define efi32-disk-image
  (image-without-os
   (format 'disk-image)
   (partition-table-type 'gpt)
   (partitions (list esp32-partition root-partition))))

(define iso9660-image
  (image-without-os
   (format 'iso9660)
   (partitions
    (list (partition
           (size 'guess)
           (label "GUIX_IMAGE")
           (flags '(boot)))))))

(define docker-image
  (image-without-os
   (format 'docker)))

(define docker-layered-image
  (image-without-os
   (format 'docker-layered)))

(define tarball-image
  (image-without-os
   (format 'tarball)))

(define wsl2-image
  (image-without-os
   (format 'wsl2)))

(define* (raw-with-offset-disk-image #:optional (offset root-offset))
  "Return a disk image whose only partition, the root, starts at OFFSET."
  (image-without-os
   (format 'disk-image)
   (partitions
    (list (partition
           (inherit root-partition)
           (offset offset))))
   ;; Guix: deleting and creating "/var/run" and "/tmp" on the overlayfs
   ;; fails.
   (volatile-root? #f)))


;;;
;;; Images types.
;;;

(define-syntax-rule (image-with-os base-image os)
  "Return an image inheriting from BASE-IMAGE, with the operating-system field
set to the given OS."
  (image
   (inherit base-image)
   (operating-system os)))

(define mbr-raw-image-type
  (image-type
   (name 'mbr-raw)
   (constructor (cut image-with-os mbr-disk-image <>))))

(define mbr-hybrid-raw-image-type
  (image-type
   (name 'mbr-hybrid-raw)
   (constructor (cut image-with-os mbr-hybrid-disk-image <>))))

(define efi-raw-image-type
  (image-type
   (name 'efi-raw)
   (constructor (cut image-with-os efi-disk-image <>))))

(define efi32-raw-image-type
  (image-type
   (name 'efi32-raw)
   (constructor (cut image-with-os efi32-disk-image <>))))

(define qcow2-image-type
  (image-type
   (name 'qcow2)
   (constructor (cut image-with-os
                 (image
                  (inherit mbr-hybrid-disk-image)
                  (name 'image.qcow2)
                  (format 'compressed-qcow2))
                 <>))))

(define iso-image-type
  (image-type
   (name 'iso9660)
   (constructor (cut image-with-os iso9660-image <>))))

(define uncompressed-iso-image-type
  (image-type
   (name 'uncompressed-iso9660)
   (constructor (cut image-with-os
                 (image
                  (inherit iso9660-image)
                  (compression? #f))
                 <>))))

(define docker-image-type
  (image-type
   (name 'docker)
   (constructor (cut image-with-os docker-image <>))))

(define docker-layered-image-type
  (image-type
   (name 'docker-layered)
   (constructor (cut image-with-os docker-layered-image <>))))

(define tarball-image-type
  (image-type
   (name 'tarball)
   (constructor (cut image-with-os tarball-image <>))))

(define wsl2-image-type
  (image-type
   (name 'wsl2)
   (constructor (cut image-with-os wsl2-image <>))))

(define raw-with-offset-image-type
  (image-type
   (name 'raw-with-offset)
   (constructor (cut image-with-os (raw-with-offset-disk-image) <>))))

;; schemos: the MBR disk image of mbr-raw under the name 'raw.
(define raw-image-type
  (image-type
   (name 'raw)
   (constructor (cut image-with-os mbr-disk-image <>))))


;;;
;;; Helpers.
;;;

(define (root-partition? partition)
  "Return true if PARTITION is the root partition, false otherwise."
  (member 'boot (partition-flags partition)))

(define (find-root-partition image)
  "Return the root partition of the given IMAGE."
  (or (srfi-1:find root-partition? (image-partitions image))
      (raise-located-error #f "image lacks a partition with the 'boot' flag")))

(define (image-with-label base-image label)
  "The volume ID of an ISO is the label of the first partition.  This procedure
returns an image record where the first partition's label is set to <label>."
  (image
    (inherit base-image)
    (partitions
      (match (image-partitions base-image)
        ((boot others ...)
         (cons
           (partition
             (inherit boot)
             (label label))
           others))))))

(define (root-size image)
  "Return the root partition size of IMAGE."
  (let* ((image-size (image-size image))
         (root-partition (find-root-partition image))
         (root-size (partition-size root-partition)))
    (cond
     ((and (eq? root-size 'guess) image-size)
      image-size)
     (else root-size))))

(define (image-with-root-file-system base-image)
  "schemos: return BASE-IMAGE with its root partition set up for the root
file system of its operating system: labelled as that file system's device
says when it is a file-system-label, with its UUID when it is a UUID, and as
large as the image when its size is 'guess (as Guix's 'image-with-os*').
Guix instead rewrites the operating system to mount / by a UUID it computes
(see the commentary of this module)."
  (let* ((os     (image-operating-system base-image))
         (root   (and os (operating-system-root-file-system os)))
         (device (and root (file-system-device root))))
    (image
     (inherit base-image)
     (partitions
      (map (lambda (p)
             (if (root-partition? p)
                 (partition
                  (inherit p)
                  (label (if (file-system-label? device)
                             (file-system-label->string device)
                             (partition-label p)))
                  (uuid (if (uuid? device) device (partition-uuid p)))
                  (size (root-size base-image)))
                 p))
           (image-partitions base-image))))))

(define (find-image file-system-type target)
  "Find and return an image built that could match the given FILE-SYSTEM-TYPE,
built for TARGET.  This is useful to adapt to interfaces written before the
addition of the <image> record."
  (match file-system-type
    ("iso9660" iso9660-image)
    (_ (cond
        ((and target (target-hurd? target))
         (module-ref (resolve-interface '(gnu system images hurd))
                     'hurd-disk-image))
        (else
         efi-disk-image)))))


;;;
;;; System images: what the image backend builds.
;;;

(define-record-type <system-image>
  (%system-image image target)
  system-image?
  (image  system-image-image)                     ;<image>
  (target system-image-target))                   ;GNU triplet | #f

(define (write-system-image obj port)
  (format port "#<system-image ~a>"
          (or (image-name (system-image-image obj))
              (image-format (system-image-image obj)))))

(set-record-type-printer! <system-image> write-system-image)

(define (system-image image)
  "Return the disk image IMAGE as a file-like object: an image of IMAGE's
format (a raw disk image, a QCOW2 image…) of its operating system,
cross-built for the target Guix would use."
  (define platform (image-platform image))

  ;; The image platform may name the system the image is for.  On that
  ;; system, the image is built natively; elsewhere it is cross-built for the
  ;; platform's target, unless a target is given.
  (define system (and=> platform platform-system))
  (define target (cond
                  ((not platform)
                   (%current-target-system))
                  ((and system
                        (string=? system (%current-system)))
                   #f)
                  (else
                   (or (%current-target-system)
                       (and=> platform platform-target)))))

  (%system-image image target))

(define %system-image-lowerer
  ;; (lambda (system-image system target) ...) -> monadic value, or #f.
  #f)

(define (set-system-image-lowerer! proc)
  "schemos: make PROC the lowering of <system-image> objects: it is called
with the system image, the system and the target, and returns a value in the
store monad, as a gexp compiler does."
  (set! %system-image-lowerer proc))

(define-gexp-compiler (system-image-compiler (obj <system-image>)
                                             system target)
  (if %system-image-lowerer
      (%system-image-lowerer obj system target)
      (raise-located-error
       #f
       (format #f "system-image: cannot lower the ~a image~a to a derivation: \
schemos builds disk images with its image backend"
               (image-format (system-image-image obj))
               (let ((name (image-name (system-image-image obj))))
                 (if name (format #f " '~a'" name) "")))
       "build the image with 'schemos image -t TYPE FILE' (docs/image.md)")))


;;;
;;; Image type discovery.
;;;

(define %image-type-names
  ;; The public variables of (image-modules) that hold image types.
  '((gnu system image)
    mbr-raw-image-type mbr-hybrid-raw-image-type efi-raw-image-type
    efi32-raw-image-type qcow2-image-type iso-image-type
    uncompressed-iso-image-type docker-image-type docker-layered-image-type
    tarball-image-type wsl2-image-type raw-with-offset-image-type
    raw-image-type
    (gnu system images hurd)
    hurd-image-type hurd-qcow2-image-type
    hurd64-image-type hurd64-qcow2-image-type))

(define %image-types
  ;; The list of publicly-known image types.
  (delay
    (let loop ((names %image-type-names) (module #f) (result '()))
      (match names
        (() (reverse result))
        (((? pair? name) rest ...)
         (loop rest (resolve-interface name) result))
        ((name rest ...)
         (let ((value (module-ref module name)))
           (loop rest module
                 (if (image-type? value) (cons value result) result))))))))

(define (lookup-image-type-by-name name)
  "Return the image type called NAME."
  (or (srfi-1:find (lambda (image-type)
                     (eq? name (image-type-name image-type)))
                   (force %image-types))
      (raise-located-error
       #f
       (format #f "~a: no such image type" name)
       (format #f "the known image types are~{ ~a~}"
               (sort (map (compose symbol->string image-type-name)
                          (force %image-types))
                     string<?)))))
