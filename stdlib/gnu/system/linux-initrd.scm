;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system linux-initrd): the initial RAM disk of GNU/Linux systems.
;;;
;;; The model of GNU Guix 1.5's module of the same name, as far as a system
;;; description needs it: the default initrd modules, and 'base-initrd' /
;;; 'raw-initrd', which return the initrd as a file-like object.
;;;
;;; Where schemos differs from Guix, and why: Guix builds the initrd with
;;; 'expression->initrd' from a gexp running (gnu build linux-boot), with the
;;; kernel modules and the statically-linked file system checkers it needs.
;;; schemos keeps that gexp and its inputs (kernel, modules, file systems,
;;; helper packages) in a 'computed-file' named "raw-initrd"; building the
;;; cpio archive itself belongs to the image stage.

(define-module (gnu system linux-initrd)
  #:use-module (guix gexp)
  #:use-module (gnu packages linux)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system mapped-devices)
  #:use-module (gnu system keyboard)
  #:use-module (srfi srfi-1)
  #:export (raw-initrd
            file-system-packages
            base-initrd
            %base-initrd-modules))

(define* (raw-initrd file-systems
                     #:key
                     (linux linux-libre)
                     (linux-modules '())
                     (mapped-devices '())
                     (keyboard-layout #f)
                     (helper-packages '())
                     qemu-networking?
                     volatile-root?
                     (on-error 'debug))
  "Return as a file-like object a raw initrd, with kernel modules taken from
LINUX, that mounts FILE-SYSTEMS after opening MAPPED-DEVICES and loading
LINUX-MODULES."
  (computed-file
   "raw-initrd"
   (with-imported-modules '((gnu build linux-boot)
                            (guix build utils)
                            (guix build bournish)
                            (gnu system file-systems)
                            (gnu build file-systems))
     #~(begin
         (use-modules (gnu build linux-boot)
                      (gnu system file-systems)
                      ((guix build utils) #:hide (delete))
                      (guix build bournish)
                      (srfi srfi-1)
                      (srfi srfi-26))
         (set-path-environment-variable "PATH" '("bin" "sbin")
                                        '#$helper-packages)
         (boot-system #:mounts
                      (map spec->file-system
                           '#$(map file-system->spec file-systems))
                      #:linux-modules '#$linux-modules
                      #:linux-module-directory #$linux
                      #:keymap-file #$(and keyboard-layout
                                           (keyboard-layout-name keyboard-layout))
                      #:qemu-guest-networking? #$qemu-networking?
                      #:volatile-root? '#$volatile-root?
                      #:on-error '#$on-error)))))

(define* (file-system-packages file-systems #:key (volatile-root? #f))
  "Return the list of statically-linked packages needed to check
FILE-SYSTEMS.  (The static checkers are looked up when needed, so that a
system without such file systems does not need their packages.)"
  (define (package module name)
    (module-ref (resolve-interface module) name))
  (define (has-type? type)
    (find (lambda (fs) (string=? type (file-system-type fs))) file-systems))
  `(,@(if (find (lambda (fs) (string-prefix? "ext" (file-system-type fs)))
                file-systems)
          (list (package '(gnu packages linux) 'e2fsck/static))
          '())
    ,@(if (find (lambda (fs) (string-suffix? "fat" (file-system-type fs)))
                file-systems)
          (list (package '(gnu packages disk) 'fatfsck/static))
          '())
    ,@(if (has-type? "btrfs")
          (list (package '(gnu packages linux) 'btrfs-progs/static))
          '())))

(define (file-system-type-modules type)
  "The Linux modules needed to mount a file system of TYPE."
  (cond ((string=? type "cifs") '("md4" "ecb" "cifs"))
        ((string=? type "9p") '("9p" "9pnet_virtio"))
        ((string=? type "bcachefs") '("bcachefs"))
        ((string=? type "btrfs") '("btrfs"))
        ((string=? type "iso9660") '("isofs"))
        ((string=? type "jfs") '("jfs"))
        ((string=? type "f2fs") '("f2fs" "crc32_generic"))
        ((string=? type "xfs") '("xfs"))
        (else '())))

(define (file-system-modules file-systems)
  "Return the list of Linux modules needed to mount FILE-SYSTEMS."
  (append-map (lambda (fs) (file-system-type-modules (file-system-type fs)))
              file-systems))

(define %base-initrd-modules
  ;; The modules included in the initrd by default, for an x86_64 system:
  ;; SATA, USB storage and keyboards, MMC, encrypted roots, ATA and SAS
  ;; controllers, and the para-virtualized devices of QEMU guests.
  '("ahci"
    "usb-storage" "uas"
    "usbhid" "hid-generic" "hid-apple"
    "mmc_block"
    "dm-crypt" "xts" "serpent_generic" "wp512"
    "nls_iso8859-1"
    "pata_acpi" "pata_atiixp"
    "isci"
    "virtio_pci" "virtio_balloon" "virtio_blk" "virtio_net"
    "virtio_console" "virtio-rng"))

(define* (base-initrd file-systems
                      #:key
                      (linux linux-libre)
                      (linux-modules '())
                      (mapped-devices '())
                      (keyboard-layout #f)
                      qemu-networking?
                      volatile-root?
                      (extra-modules '())         ;deprecated
                      (on-error 'debug))
  "Return as a file-like object a generic initrd, with kernel modules taken
from LINUX, that mounts FILE-SYSTEMS; it includes the modules those file
systems need and LINUX-MODULES."
  (define linux-modules*
    `(,@linux-modules
      ,@(file-system-modules file-systems)
      ,@(if volatile-root? '("overlay") '())
      ,@extra-modules))

  (raw-initrd file-systems
              #:linux linux
              #:linux-modules linux-modules*
              #:mapped-devices mapped-devices
              #:helper-packages (file-system-packages file-systems
                                                      #:volatile-root?
                                                      volatile-root?)
              #:keyboard-layout keyboard-layout
              #:qemu-networking? qemu-networking?
              #:volatile-root? volatile-root?
              #:on-error on-error))
