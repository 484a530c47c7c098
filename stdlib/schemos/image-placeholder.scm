;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (schemos image-placeholder): what a disk image in a gexp lowers to while
;;; the image backend registers no lowering of its own.
;;;
;;; In Guix, a disk image in a gexp -- the "--hda" argument of the childhurd's
;;; QEMU command -- is '(system-image IMAGE)', the derivation building the
;;; image from its operating system, cross-built for the image's platform.
;;; In schemos, 'system-image' of (gnu system image) returns a
;;; <system-image>, lowered by the procedure registered with
;;; 'set-system-image-lowerer!'.  This module registers a stand-in when
;;; none is (schemos/store/build.py loads it before lowering when (gnu system
;;; image) is in use): a computed file NAME-image-placeholder whose builder
;;; links the image's system directory and grub.cfg, lowered as Guix's
;;; 'system-image' lowers them (for the host system, cross-built for the
;;; image's target), and writes a README.  So the image's whole closure is
;;; in the closure of the system referring to it, and its name says it is
;;; not the image.
;;;
;;; Like Guix's 'operating-system-for-image', an operating system without a
;;; root file system gets one on the image's root partition: ext2 labelled
;;; "Guix_image" (Guix mounts it by a UUID hashed from the operating system
;;; with Guile's 'hash', which schemos cannot reproduce).

(define-module (schemos image-placeholder)
  #:use-module (guix gexp)
  #:use-module ((guix utils) #:select (%current-system
                                       %current-target-system))
  #:use-module (gnu image)
  #:use-module (gnu system)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system image)
  #:use-module (srfi srfi-1)
  #:export (image-placeholder
            system-image-placeholder-lowerer))

(define (operating-system-with-root-file-system os)
  ;; OS, with the root file system of an image if it has none.
  (if (find (lambda (fs) (string=? "/" (file-system-mount-point fs)))
            (operating-system-file-systems os))
      os
      (operating-system
        (inherit os)
        (file-systems (cons (file-system
                              (mount-point "/")
                              (device (file-system-label root-label))
                              (type "ext2"))
                            (operating-system-file-systems os))))))

(define (image-placeholder image target)
  "Return a computed file standing for the disk IMAGE, whose operating system
is cross-built for TARGET (a GNU triplet, or #f for a native build)."
  (let* ((name    (or (image-name image) (image-format image)))
         (label   (if (symbol? name) (symbol->string name) name))
         (os      (operating-system-with-root-file-system
                   (image-operating-system image)))
         (system  (with-parameters ((%current-target-system target))
                    os))
         (bootcfg (with-parameters ((%current-target-system target))
                    (operating-system-bootcfg os))))
    (computed-file
     (string-append label "-image-placeholder")
     #~(begin
         (mkdir #$output)
         (call-with-output-file (string-append #$output "/README")
           (lambda (port)
             (display #$(string-append
                         "A stand-in for the " label " disk image: schemos "
                         "lowers its system\n(system/, "
                         (if target
                             (string-append "cross-built for " target)
                             "built natively")
                         ") and its grub.cfg; the image itself is made by "
                         "the image backend.\n")
                      port)))
         (symlink #$system (string-append #$output "/system"))
         (symlink #$bootcfg (string-append #$output "/grub.cfg"))))))

(define (system-image-placeholder-lowerer obj system target)
  "Lower OBJ, a <system-image>, to its placeholder (a monadic value)."
  (lower-object (image-placeholder (system-image-image obj)
                                   (system-image-target obj))
                system #:target target))

;; Register the stand-in, unless the image backend registered its lowering.
(unless (module-ref (resolve-module '(gnu system image))
                    '%system-image-lowerer)
  (set-system-image-lowerer! system-image-placeholder-lowerer))
