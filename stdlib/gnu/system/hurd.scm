;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system hurd): the GNU/Hurd flavour of operating systems.
;;;
;;; The model of GNU Guix 1.5's module of the same name: the base packages
;;; and base services of a GNU/Hurd system, its setuid programs, and
;;; %hurd-default-operating-system, which Hurd configurations inherit from
;;; (the childhurd's %hurd-vm-operating-system lives in (gnu services
;;; virtualization), as in Guix).
;;;
;;; Where schemos follows the seed instead of Guix 1.5, and why:
;;;
;;; Since 2024 Guix keeps networking out of %base-services/hurd: its own
;;; bare-hurd.tmpl switched to %base-services+qemu-networking/hurd, and Guix
;;; 1.5 refuses to build the template of the "Childhurds and GNU/Hurd
;;; substitutes" post, whose OpenSSH service requires 'loopback' (and, in
;;; Guix 1.5, 'networking').  That template is the specification schemos
;;; follows, so %base-services/hurd keeps the networking of the Guix the post
;;; describes: a static-networking service for the loopback interface and for
;;; QEMU's user-mode network (the post's systems are QEMU virtual machines),
;;; providing 'loopback' and 'networking'.  %base-services+qemu-networking/hurd
;;; is then the same list.  The check itself is kept: an OS whose Shepherd
;;; services require something nobody provides still fails.

(define-module (gnu system hurd)
  #:use-module (guix gexp)
  #:use-module (gnu bootloader)
  #:use-module (gnu bootloader grub)
  #:use-module (gnu packages admin)
  #:use-module (gnu packages base)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages certs)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages file)
  #:use-module (gnu packages gawk)
  #:use-module (gnu packages guile)
  #:use-module (gnu packages guile-xyz)
  #:use-module (gnu packages hurd)
  #:use-module (gnu packages less)
  #:use-module (gnu packages linux)
  #:use-module (gnu packages texinfo)
  #:use-module (gnu services)
  #:use-module (gnu services base)
  #:use-module (gnu services hurd)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system)
  #:use-module (gnu system setuid)
  #:use-module (gnu system shadow)
  #:export (%base-packages/hurd
            %base-services/hurd
            %base-services+qemu-networking/hurd
            %desktop-services/hurd
            %hurd-default-operating-system
            %hurd-default-operating-system-kernel
            %hurd64-default-operating-system
            %hurd64-default-operating-system-kernel
            %setuid-programs/hurd))

(define %hurd-default-operating-system-kernel
  gnumach)

(define %hurd64-default-operating-system-kernel
  %hurd-default-operating-system-kernel)

(define %base-packages/hurd
  ;; The Shepherd comes before the Hurd, not just because its duty is to
  ;; shepherd the herd, but also so that its 'halt' and 'reboot' commands
  ;; take precedence.
  (list shepherd-1.0 hurd netdde bash coreutils file findutils grep sed
        diffutils patch gawk tar gzip bzip2 xz lzip
        guile-3.0-latest guile-colorized guile-readline
        net-base nss-certs inetutils less procps shadow sudo which
        info-reader))

(define %base-services/hurd
  (append (list (service hurd-console-service-type
                         (hurd-console-configuration (hurd hurd)))
                (service guix-service-type
                         (guix-configuration
                          (extra-options '("--disable-chroot"
                                           "--disable-deduplication"))))
                (service special-files-service-type
                         `(("/bin/sh" ,(file-append bash "/bin/sh"))
                           ("/usr/bin/env" ,(file-append coreutils
                                                         "/bin/env"))))
                (service syslog-service-type))
          (map (lambda (n)
                 (service hurd-getty-service-type
                          (hurd-getty-configuration
                           (tty (string-append "tty" (number->string n))))))
               (iota 6 1))
          ;; The networking the seed's template relies on (see above).
          (list (service static-networking-service-type
                         (list %loopback-static-networking
                               ;; To get "eth0", QEMU must emulate a device
                               ;; for which Mach has an in-kernel driver, for
                               ;; instance with: --device rtl8139,netdev=net0
                               ;; --netdev user,id=net0
                               %qemu-static-networking)))))

(define %base-services+qemu-networking/hurd
  ;; QEMU user-mode networking is already part of %base-services/hurd.
  %base-services/hurd)

(define %desktop-services/hurd %base-services/hurd)

(define %setuid-programs/hurd
  ;; Default set of setuid-root programs.
  (map file-like->setuid-program
       (list (file-append shadow "/bin/passwd")
             (file-append shadow "/bin/sg")
             (file-append shadow "/bin/su")
             (file-append shadow "/bin/newgrp")
             (file-append shadow "/bin/newuidmap")
             (file-append shadow "/bin/newgidmap")
             (file-append sudo "/bin/sudo")
             (file-append sudo "/bin/sudoedit"))))

(define %hurd-default-operating-system
  (operating-system
    (kernel %hurd-default-operating-system-kernel)
    (kernel-arguments '())
    (hurd hurd)
    (bootloader (bootloader-configuration
                 (bootloader grub-minimal-bootloader)
                 (targets '("/dev/vda"))))
    (initrd #f)
    (initrd-modules '())
    (firmware '())
    (host-name "guixygnu")
    (file-systems '())
    (packages %base-packages/hurd)
    (timezone "GNUrope")
    (locale-libcs (list glibc/hurd))
    (name-service-switch #f)
    (essential-services (hurd-default-essential-services this-operating-system))
    (privileged-programs '())
    (setuid-programs %setuid-programs/hurd)))

(define %hurd64-default-operating-system
  (operating-system
    (inherit %hurd-default-operating-system)
    (kernel %hurd64-default-operating-system-kernel)))
