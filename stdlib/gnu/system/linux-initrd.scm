;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system linux-initrd): the initial RAM disk of GNU/Linux systems.
;;;
;;; The model of GNU Guix 1.5's module of the same name, as far as a system
;;; description needs it: 'expression->initrd', 'raw-initrd', 'base-initrd'
;;; and the default initrd modules.  As in Guix, the initrd is the
;;; "initrd.cpio.gz" file of a computed file "raw-initrd" whose builder runs
;;; 'build-initrd' of (gnu build linux-initrd) on the closure of a program
;;; file "init" (run by the static Guile of (gnu packages make-bootstrap)),
;;; which boots with (gnu build linux-boot) and the kernel modules of a
;;; computed file "linux-modules".
;;;
;;; Where schemos differs from Guix, and why:
;;; - Guix computes the imported modules with 'source-module-closure'; schemos
;;;   lists the closures by hand, as that procedure finds them from the
;;;   modules' headers (a module first, then what it uses, depth first).
;;; - A keyboard layout is passed by name: Guix compiles it to a console
;;;   keymap with console-setup and xkeyboard-config, which are not in the
;;;   package collection (nor is the loadkeys-static helper it adds).

(define-module (gnu system linux-initrd)
  #:use-module (guix gexp)
  #:use-module ((guix utils) #:select (%current-system))
  #:use-module (gnu packages compression)
  #:use-module ((gnu packages guile) #:select (guile-zlib))
  #:use-module (gnu packages linux)
  #:use-module ((gnu packages make-bootstrap)
                #:select (%guile-3.0-static-stripped))
  #:use-module (gnu system file-systems)
  #:use-module (gnu system mapped-devices)
  #:use-module (gnu system keyboard)
  #:use-module (srfi srfi-1)
  #:export (expression->initrd
            raw-initrd
            file-system-packages
            base-initrd
            %base-initrd-modules))

;;; The closures 'source-module-closure' gives for the modules imported
;;; below (Guix's build-side modules are not part of schemos).

(define %linux-initrd-module-closure
  ;; (gnu build linux-initrd), without (guix store deduplication), as
  ;; 'expression->initrd' selects.
  '((gnu build linux-initrd)
    (guix cpio)
    (guix build utils)
    (guix build store-copy)
    (guix sets)
    (guix progress)
    (guix records)))

(define %linux-modules-module-closure
  ;; (gnu build linux-modules) and (guix build utils).
  '((gnu build linux-modules)
    (guix elf)
    (guix glob)
    (guix build syscalls)
    (guix build utils)
    (guix build union)))

(define %linux-boot-module-closure
  ;; (gnu build linux-boot), (guix build utils), (guix build bournish),
  ;; (gnu system file-systems) and (gnu build file-systems).
  '((gnu build linux-boot)
    (guix build utils)
    (guix build syscalls)
    (gnu build linux-modules)
    (guix elf)
    (guix glob)
    (guix build union)
    (gnu build file-systems)
    (gnu system uuid)
    (gnu system file-systems)
    (guix records)
    (guix diagnostics)
    (guix colors)
    (guix memoization)
    (guix profiling)
    (guix i18n)
    (guix build bournish)))

(define* (expression->initrd exp
                             #:key
                             (guile %guile-3.0-static-stripped)
                             (gzip gzip)
                             (name "guile-initrd")
                             (system (%current-system)))
  "Return as a file-like object a Linux initrd (a gzipped cpio archive)
containing GUILE and that evaluates EXP, a G-expression, upon booting.  All
the derivations referenced by EXP are automatically copied to the initrd."
  (define init
    (program-file "init" exp #:guile guile))

  (define builder
    (with-imported-modules %linux-initrd-module-closure
      #~(begin
          (use-modules (gnu build linux-initrd))

          (mkdir #$output)

          ;; Keep a reference to the initrd's Guile, which must be in the
          ;; store once the root is switched.
          (call-with-output-file (string-append #$output "/references")
            (lambda (port)
              (simple-format port "~A\n" #$guile)))

          (build-initrd (string-append #$output "/initrd.cpio.gz")
                        #:guile #$guile
                        #:init #$init
                        ;; Copy everything INIT refers to into the initrd.
                        #:references-graphs '("closure")
                        #:gzip (string-append #+gzip "/bin/gzip")))))

  (file-append (computed-file name builder
                              #:options
                              `(#:references-graphs (("closure" ,init))))
               "/initrd.cpio.gz"))

(define (flat-linux-module-directory linux modules)
  "Return a flat directory containing the Linux kernel modules listed in
MODULES and taken from LINUX."
  (define build-exp
    (with-imported-modules %linux-modules-module-closure
      (with-extensions (list guile-zlib)
        #~(begin
            (use-modules (gnu build linux-modules)
                         (guix build utils)
                         (srfi srfi-1)
                         (srfi srfi-26))

            (define module-dir
              (string-append #$linux "/lib/modules"))

            (define modules
              (let* ((lookup  (cut find-module-file module-dir <>))
                     (modules (map lookup '#$modules)))
                (append modules
                        (recursive-module-dependencies
                         modules
                         #:lookup-module lookup))))

            (define (maybe-uncompress file)
              ;; The initrd is gzipped as a whole.
              (cond
               ((string-contains file ".ko.gz")
                (invoke #+(file-append gzip "/bin/gunzip") file))))

            (mkdir #$output)
            (for-each (lambda (module)
                        (let ((out-module
                               (string-append #$output "/"
                                              (basename module))))
                          (format #t "copying '~a'...~%" module)
                          (copy-file module out-module)
                          (maybe-uncompress out-module)))
                      (delete-duplicates modules))

            ;; Hyphen or underscore?  This database tells.
            (write-module-name-database #$output)))))

  (computed-file "linux-modules" build-exp))

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
LINUX-MODULES; HELPER-PACKAGES are in its PATH."
  (define device-mapping-commands
    ;; The gexps opening the mapped devices.
    (map (lambda (md)
           (let* ((source  (mapped-device-source md))
                  (targets (mapped-device-targets md))
                  (type    (mapped-device-type md))
                  (open    (mapped-device-kind-open type)))
             (open source targets)))
         mapped-devices))

  (define kodir
    (flat-linux-module-directory linux linux-modules))

  (expression->initrd
   (with-imported-modules %linux-boot-module-closure
     #~(begin
         (use-modules (gnu build linux-boot)
                      (gnu system file-systems)
                      ((guix build utils) #:hide (delete))
                      (guix build bournish)   ;the 'bournish' meta-command
                      (srfi srfi-1)           ;for lvm-device-mapping
                      (srfi srfi-26)
                      ;; For LUKS-DEVICE-MAPPING.
                      ((gnu build file-systems)
                       #:select (find-partition-by-luks-uuid))
                      (rnrs bytevectors))

         (with-output-to-port (%make-void-port "w")
           (lambda ()
             (set-path-environment-variable "PATH" '("bin" "sbin")
                                            '#$helper-packages)))

         (parameterize ((current-warning-port (%make-void-port "w")))
           (boot-system #:mounts
                        (map spec->file-system
                             '#$(map file-system->spec file-systems))
                        #:pre-mount (lambda ()
                                      (and #$@device-mapping-commands))
                        #:linux-modules '#$linux-modules
                        #:linux-module-directory '#$kodir
                        #:keymap-file #$(and keyboard-layout
                                             (keyboard-layout-name
                                              keyboard-layout))
                        #:qemu-guest-networking? #$qemu-networking?
                        #:volatile-root? '#$volatile-root?
                        #:on-error '#$on-error))))
   #:name "raw-initrd"))

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
