;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (schemos image-derivation): the derivation of a disk image in a gexp.
;;;
;;; In Guix, a disk image in a gexp -- the "--hda" argument of the
;;; childhurd's QEMU command -- is '(system-image IMAGE)', the derivation
;;; that builds the image (system-disk-image in (gnu system image)): its
;;; builder lays out the root partition from the references graph of the
;;; image's system and grub.cfg, makes the file system, the disk and, for
;;; 'compressed-qcow2, the qcow2 file.  In schemos, 'system-image' returns a
;;; <system-image>, lowered by the procedure registered with
;;; 'set-system-image-lowerer!'; this module registers that procedure
;;; (schemos/store/build.py loads it before lowering when (gnu system image)
;;; is in use).
;;;
;;; The derivation, as Guix's:
;;;
;;; - is named after the image ('image-name'), else "disk-image";
;;; - has the image's operating system lowered for the image's target
;;;   (i586-pc-gnu for the Hurd's images) to its system and grub.cfg, passed
;;;   as #:references-graphs ("system" and "bootcfg"), so that the build
;;;   knows their closures and the daemon (or schemos) writes the graphs;
;;; - is #:local-build? #t (a large file) and substitutable as the image
;;;   says ('image-substitutable?').
;;;
;;; Its builder is Guile running a gexp that calls 'build-disk-image' of the
;;; build-side module (schemos build image) -- schemos' image backend,
;;; written in Python (schemos/build_image.py) -- with the image's parameters
;;; as plain data, those 'schemos image' uses: the format, the root
;;; partition's label, UUID, file system and options, size, whether the
;;; image is the Hurd's (its /dev and /servers) and the journal mode of its
;;; store database.  A local build of schemos runs it; a Guix daemon cannot,
;;; as it lacks the module.
;;;
;;; Like Guix's 'operating-system-for-image', an operating system without a
;;; root file system gets one on the image's root partition: labelled
;;; "Guix_image" (root-label), of the partition's file system type.  (Guix
;;; mounts it by a UUID hashed from the operating system with Guile's
;;; 'hash', which schemos cannot reproduce.)

(define-module (schemos image-derivation)
  #:use-module (guix gexp)
  #:use-module ((guix utils) #:select (%current-target-system))
  #:use-module (gnu image)
  #:use-module (gnu system)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system image)
  #:use-module (schemos image-support)
  #:use-module (srfi srfi-1)
  #:export (image->derivation-file
            system-image-derivation-lowerer))

(define (image-root-file-system-type image)
  "The file system of IMAGE's root partition (flagged 'boot), or \"ext2\"."
  (let ((root (find (lambda (p) (memq 'boot (partition-flags p)))
                    (image-partitions image))))
    (if root (partition-file-system root) "ext2")))

(define (operating-system-with-root-file-system os type)
  "OS, with the root file system of an image of type TYPE if it has none."
  (if (find (lambda (fs) (string=? "/" (file-system-mount-point fs)))
            (operating-system-file-systems os))
      os
      (operating-system
        (inherit os)
        (file-systems (cons (file-system
                              (mount-point "/")
                              (device (file-system-label root-label))
                              (type type))
                            (operating-system-file-systems os))))))

(define (parameter params key)
  (cdr (assq key params)))

(define (image->derivation-file img target)
  "Return a computed file building the disk image IMG, whose operating system is
cross-built for TARGET (a GNU triplet, or #f for a native build)."
  (let* ((os      (operating-system-with-root-file-system
                   (image-operating-system img)
                   (image-root-file-system-type img)))
         (image*  (image (inherit img) (operating-system os)))
         (params  (%image-disk-parameters image* target))
         (system  (with-parameters ((%current-target-system target))
                    os))
         (bootcfg (with-parameters ((%current-target-system target))
                    (operating-system-bootcfg os))))
    (computed-file
     (parameter params 'name)
     #~(begin
         (use-modules (schemos build image))
         (build-disk-image #$output
                           #:references-graphs '("system" "bootcfg")
                           #:system-directory #$system
                           #:bootcfg #$bootcfg
                           #:format '#$(parameter params 'format)
                           #:label #$(parameter params 'label)
                           #:uuid #$(parameter params 'uuid)
                           #:file-system #$(parameter params 'file-system)
                           #:file-system-options
                           '#$(parameter params 'file-system-options)
                           #:size '#$(parameter params 'size)
                           #:hurd? #$(parameter params 'hurd?)
                           #:wal-mode? #$(parameter params 'wal-mode?)))
     #:local-build? #t                            ;a large file
     #:options `(#:references-graphs (("system" ,system)
                                      ("bootcfg" ,bootcfg))
                 #:substitutable? ,(image-substitutable? img)))))

(define (system-image-derivation-lowerer obj system target)
  "Lower OBJ, a <system-image>, to the derivation building it (a monadic
value)."
  (lower-object (image->derivation-file (system-image-image obj)
                                        (system-image-target obj))
                system #:target target))

(set-system-image-lowerer! system-image-derivation-lowerer)
