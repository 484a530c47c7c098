;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system images hurd): GNU/Hurd disk images.
;;;
;;; The model of GNU Guix 1.5's module of the same name: the bare-bones
;;; GNU/Hurd operating system, the disk image of a GNU/Hurd system (one
;;; ext2 partition at 1 MiB, labelled root-label, made with "-o hurd" so that
;;; the Hurd can store translators and file authors, filled by
;;; 'initialize-root-partition' with the Hurd's device nodes and a store
;;; database without WAL journal), and the image types hurd-raw and
;;; hurd-qcow2 -- for i586-gnu, cross-built for "i586-pc-gnu" -- and
;;; hurd64-raw and hurd64-qcow2 for x86_64-gnu.
;;;
;;; 'hurd-initialize-root-partition' is a gexp, as in Guix: schemos' image
;;; backend does what it says (see docs/image.md).

(define-module (gnu system images hurd)
  #:use-module (guix gexp)
  #:use-module (gnu bootloader)
  #:use-module (gnu bootloader grub)
  #:use-module (gnu image)
  #:use-module (gnu packages ssh)
  #:use-module (guix platforms x86)
  #:use-module (gnu services)
  #:use-module (gnu services ssh)
  #:use-module (gnu system)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system hurd)
  #:use-module (gnu system image)
  #:use-module (srfi srfi-26)
  #:export (hurd-barebones-os
            hurd-initialize-root-partition        ;schemos: for the image backend
            hurd-disk-image
            hurd64-disk-image
            hurd-image-type
            hurd64-image-type
            hurd-qcow2-image-type
            hurd64-qcow2-image-type
            hurd-barebones-disk-image
            hurd-barebones-qcow2-image))

(define hurd-barebones-os
  (operating-system
    (inherit %hurd-default-operating-system)
    (bootloader (bootloader-configuration
                 (bootloader grub-minimal-bootloader)
                 (targets '("/dev/sdX"))))
    (file-systems (cons (file-system
                          (device (file-system-label "my-root"))
                          (mount-point "/")
                          (type "ext2"))
                        %base-file-systems))
    (host-name "guixygnu")
    (timezone "Europe/Amsterdam")
    (packages (cons openssh-sans-x %base-packages/hurd))
    (services (cons (service openssh-service-type
                             (openssh-configuration
                              (openssh openssh-sans-x)
                              (use-pam? #f)
                              (port-number 2222)
                              (permit-root-login #t)
                              (allow-empty-passwords? #t)
                              (password-authentication? #t)))
               %base-services/hurd))))

(define hurd-initialize-root-partition
  #~(lambda* (#:rest args)
      (apply initialize-root-partition
             (append args
                     (list #:make-device-nodes make-hurd-device-nodes
                           ;; XXX Creating a db.sqlite with journal_mode=WAL
                           ;; yields "unable to open database file" on GNU/Hurd
                           ;; for an sqlite with the hurd-locking-mode.patch;
                           ;; see <https://bugs.gnu.org/42151>.
                           #:wal-mode? #f)))))

(define hurd-disk-image
  (image-without-os
   (format 'disk-image)
   (platform i586-gnu)
   (partitions
    (list (partition
           (size 'guess)
           (offset root-offset)
           (label root-label)
           (file-system "ext2")
           (file-system-options '("-o" "hurd" "-O" "ext_attr"))
           (flags '(boot))
           (initializer hurd-initialize-root-partition))))))

(define hurd64-disk-image
  (image
   (inherit hurd-disk-image)
   (platform x86_64-gnu)))

(define hurd-image-type
  (image-type
   (name 'hurd-raw)
   (constructor (cut image-with-os hurd-disk-image <>))))

(define hurd64-image-type
  (image-type
   (name 'hurd64-raw)
   (constructor (cut image-with-os hurd64-disk-image <>))))

(define hurd-qcow2-image-type
  (image-type
   (name 'hurd-qcow2)
   (constructor (lambda (os)
                  (image
                   (inherit hurd-disk-image)
                   (format 'compressed-qcow2)
                   (operating-system os))))))

(define hurd64-qcow2-image-type
  (image-type
   (name 'hurd64-qcow2)
   (constructor (lambda (os)
                  (image
                   (inherit hurd64-disk-image)
                   (format 'compressed-qcow2)
                   (operating-system os))))))

(define hurd-barebones-disk-image
  (image
   (inherit
    (os+platform->image hurd-barebones-os i586-gnu
                        #:type hurd-image-type))
   (name 'hurd-barebones-disk-image)))

(define hurd-barebones-qcow2-image
  (image
   (inherit
    (os+platform->image hurd-barebones-os i586-gnu
                        #:type hurd-qcow2-image-type))
   (name 'hurd-barebones.qcow2)))
