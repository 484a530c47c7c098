;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system): whole-system configuration.
;;;
;;; The model of GNU Guix 1.5's module of the same name: the
;;; <operating-system> record with every field Guix has and its defaults;
;;; the "essential" services that turn the fields of an operating system
;;; into services (GNU/Linux and GNU/Hurd flavours); 'operating-system-
;;; services', which adds the essential services to the user's and
;;; instantiates the services their extensions need; the default package
;;; sets; /etc; boot parameters; and the bootloader configuration file.
;;;
;;; Errors are Guix's: an operating system without a root file system fails
;;; with "missing root file system", located at the operating-system form,
;;; as soon as something needs its root file system (its essential services
;;; do).  The deprecated 'hosts-file' and old-style 'swap-devices' fields
;;; warn at the location of their value.
;;;
;;; Where schemos differs from Guix, and why:
;;;
;;; - Guix's system-level values are monadic; schemos has no store monad, so
;;;   'operating-system-derivation' and 'operating-system-profile' return
;;;   the final value of the system and profile services (see (gnu
;;;   services)); the lowering stage turns that into derivations.
;;; - Guix chooses some defaults from the *current* system (%current-system,
;;;   which is the host's unless --system is given).  schemos evaluates
;;;   descriptions for an x86_64-linux host: the kernel image is "bzImage"
;;;   and the initrd modules are those of x86_64.
;;; - 'operating-system-uuid' (Guile's 'hash' of service names) is left to
;;;   the image stage, which needs Guile's exact hash function.

(define-module (gnu system)
  #:use-module ((guix records) #:hide (define-record-type*))
  #:use-module (schemos system-support)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (gnu packages admin)
  #:use-module (gnu packages base)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages certs)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages firmware)
  #:use-module (gnu packages gawk)
  #:use-module (gnu packages guile)
  #:use-module (gnu packages guile-xyz)
  #:use-module (gnu packages hurd)
  #:use-module (gnu packages less)
  #:use-module (gnu packages linux)
  #:use-module (gnu packages man)
  #:use-module (gnu packages nano)
  #:use-module (gnu packages nvi)
  #:use-module (gnu packages package-management)
  #:use-module (gnu packages pciutils)
  #:use-module (gnu packages texinfo)
  #:use-module (gnu packages text-editors)
  #:use-module (gnu packages wget)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services base)
  #:use-module (gnu bootloader)
  #:use-module (gnu system shadow)
  #:use-module (gnu system nss)
  #:use-module (gnu system locale)
  #:use-module (gnu system pam)
  #:use-module (gnu system linux-initrd)
  #:use-module (gnu system privilege)
  #:use-module (gnu system setuid)
  #:use-module (gnu system uuid)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system mapped-devices)
  #:use-module (srfi srfi-1)
  #:export (operating-system
            operating-system?
            this-operating-system

            operating-system-bootloader
            operating-system-services
            operating-system-essential-services
            operating-system-default-essential-services
            operating-system-user-services
            operating-system-packages
            operating-system-host-name
            operating-system-hosts-file ;deprecated
            operating-system-hurd
            operating-system-kernel
            operating-system-kernel-file
            operating-system-kernel-arguments
            operating-system-label
            operating-system-default-label
            operating-system-initrd-modules
            operating-system-initrd
            operating-system-users
            operating-system-groups
            operating-system-issue
            operating-system-timezone
            operating-system-locale
            operating-system-locale-definitions
            operating-system-locale-libcs
            operating-system-mapped-devices
            operating-system-file-systems
            operating-system-root-file-system
            operating-system-store-file-system
            operating-system-user-mapped-devices
            operating-system-boot-mapped-devices
            operating-system-bootloader-crypto-devices
            operating-system-activation-script
            operating-system-user-accounts
            operating-system-shepherd-service-names
            operating-system-user-kernel-arguments
            operating-system-firmware
            operating-system-keyboard-layout
            operating-system-name-service-switch
            operating-system-pam-services
            operating-system-privileged-programs
            operating-system-setuid-programs
            operating-system-skeletons
            operating-system-sudoers-file
            operating-system-swap-devices
            operating-system-kernel-loadable-modules
            operating-system-location

            operating-system-derivation
            operating-system-profile
            operating-system-bootcfg
            operating-system-etc-directory
            operating-system-locale-directory
            operating-system-boot-script
            operating-system-boot-parameters-file

            system-linux-image-file-name
            operating-system-with-gc-roots
            operating-system-with-provenance

            hurd-default-essential-services

            boot-parameters
            boot-parameters?
            boot-parameters-label
            boot-parameters-root-device
            boot-parameters-bootloader-name
            boot-parameters-bootloader-menu-entries
            boot-parameters-store-crypto-devices
            boot-parameters-store-device
            boot-parameters-store-directory-prefix
            boot-parameters-store-mount-point
            boot-parameters-locale
            boot-parameters-kernel
            boot-parameters-kernel-arguments
            boot-parameters-initrd
            boot-parameters-multiboot-modules
            boot-parameters-version
            %boot-parameters-version
            boot-parameters->menu-entry

            local-host-aliases                    ;deprecated
            local-host-entries
            %root-account
            %default-privileged-programs
            %setuid-programs
            %sudoers-specification
            %base-packages
            %base-packages-artwork
            %base-packages-interactive
            %base-packages-linux
            %base-packages-networking
            %base-packages-disk-utilities
            %base-packages-utils
            %base-firmware
            %default-kernel-arguments))

(define (bootable-kernel-arguments system root-device version)
  "Return a list of kernel arguments (gexps) to boot SYSTEM from ROOT-DEVICE.
VERSION is the target version of the boot-parameters record."
  ;; Version 0 boot parameters use the legacy '--root' & co. names; keep
  ;; them for bootloader entries of older generations.
  (define version>0? (> version 0))
  (let ((root (file-system-device->string root-device #:uuid-type 'dce)))
    (append
     (cond
      ((string=? root "tmpfs")
       ;; Required when using tmpfs as root file system.
       '("rootfstype=tmpfs"))
      ((string=? root "none")
       ;; Unhandled cases where the root is "none": the user sets the right
       ;; arguments.
       '())
      (else
       ;; Always the DCE format: that is what (gnu build linux-boot) expects
       ;; for 'root'.
       (list (string-append (if version>0? "root=" "--root=") root))))
     (list #~(string-append (if #$version>0? "gnu.system=" "--system=") #$system)
           #~(string-append (if #$version>0? "gnu.load=" "--load=")
                            #$system "/boot")))))

;; System-wide configuration.

(define-with-syntax-properties (warn-hosts-file-field-deprecation
                                (value properties))
  (when value
    (warning (source-properties->location properties)
             "the 'hosts-file' field is deprecated, please use \
'hosts-service-type' instead~%"))
  value)

(define-with-syntax-properties (warn-swap-devices-change (value properties))
  (for-each (lambda (x)
              (unless (swap-space? x)
                (warning (source-properties->location properties)
                         "List elements of the field 'swap-devices' should \
now use the <swap-space> record, as the old method is deprecated. \
See \"(guix) operating-system Reference\" for more details.~%")))
            value)
  value)

(define-record-type* <operating-system> operating-system
  make-operating-system
  operating-system?
  this-operating-system

  (kernel operating-system-kernel                 ; package
          (default linux-libre))
  (kernel-loadable-modules operating-system-kernel-loadable-modules
                    (default '()))                ; list of packages
  (kernel-arguments operating-system-user-kernel-arguments
                    (default %default-kernel-arguments)) ; list of gexps/strings
  (hurd operating-system-hurd
        (default #f))                             ; package
  (bootloader operating-system-bootloader)        ; <bootloader-configuration>
  (label operating-system-label                   ; string
         (thunked)
         (default (operating-system-default-label this-operating-system)))

  (keyboard-layout operating-system-keyboard-layout ;#f | <keyboard-layout>
                   (default #f))
  (initrd operating-system-initrd                 ; (list fs) -> file-like
          (default base-initrd))
  (initrd-modules operating-system-initrd-modules ; list of strings
                  (thunked)                       ; it's system-dependent
                  (default %base-initrd-modules))

  (firmware operating-system-firmware             ; list of packages
            (default %base-firmware))

  (host-name operating-system-host-name)          ; string
  (hosts-file %operating-system-hosts-file        ; deprecated
              (default #f)
              (sanitize warn-hosts-file-field-deprecation))

  (mapped-devices operating-system-mapped-devices ; list of <mapped-device>
                  (default '()))
  (file-systems operating-system-file-systems)    ; list of fs
  (swap-devices operating-system-swap-devices     ; list of string | <swap-space>
                (default '())
                (delayed)
                (sanitize warn-swap-devices-change))

  (users operating-system-users                   ; list of user accounts
         (default %base-user-accounts))
  (groups operating-system-groups                 ; list of user groups
          (default %base-groups))

  (skeletons operating-system-skeletons           ; list of name/file-like value
             (default (default-skeletons)))
  (issue operating-system-issue                   ; string
         (default %default-issue))

  (packages %operating-system-packages            ; list of (PACKAGE OUTPUT...)
            (default %base-packages))             ; or just PACKAGE

  (timezone operating-system-timezone
            (default "Etc/UTC"))                  ; string
  (locale   operating-system-locale               ; string
            (default "en_US.utf8"))
  (locale-definitions operating-system-locale-definitions ; list of <locale-definition>
                      (default %default-locale-definitions))
  (locale-libcs operating-system-locale-libcs     ; list of <packages>
                (default %default-locale-libcs))
  (name-service-switch operating-system-name-service-switch ; <name-service-switch>
                       (default %default-nss))

  (essential-services operating-system-essential-services ; list of services
                      (thunked)
                      (default (operating-system-default-essential-services
                                this-operating-system)))
  (services operating-system-user-services        ; list of services
            (thunked)                     ;allow for system-dependent services
            (default %base-services)
            (sanitize validate-service-list))

  (pam-services operating-system-pam-services     ; list of PAM services
                (default (base-pam-services)))
  (privileged-programs operating-system-privileged-programs ; list of <privileged-program>
                       (default %default-privileged-programs))
  (setuid-programs operating-system-setuid-programs
                   ;; For backwards compatibility; will be removed.
                   (default %setuid-programs))    ; list of <setuid-program>

  (sudoers-file operating-system-sudoers-file     ; file-like
                (default %sudoers-specification))

  (location operating-system-location             ; <location>
            (default (and=> (current-source-location)
                            source-properties->location))
            (innate)))

(define (operating-system-hosts-file os)
  "Deprecated: the 'hosts-file' field of OS; use 'hosts-service-type'."
  (%operating-system-hosts-file os))

(define (operating-system-packages os)
  "Return the packages of the OS <operating-system> record object."
  ;; 'nss-certs' is now part of %base-packages: warn about configurations
  ;; that still add it, and keep a single one to avoid profile collisions.
  (let* ((packages (%operating-system-packages os))
         (nss-certs-packages (filter (lambda (p)
                                       (and (package? p)
                                            (string=? "nss-certs"
                                                      (package-name p))))
                                     packages)))
    (if (> (length nss-certs-packages) 1)
        (begin
          (warning #f "multiple 'nss-certs' packages found; 'nss-certs' \
is now included by default in '%base-packages'; ensure it is not explicitly \
listed in the operating system 'packages' field~%")
          (let ((distinct (delete-duplicates nss-certs-packages eq?)))
            (if (> (length distinct) 1)
                (fold delete packages (cdr distinct))
                packages)))
        packages)))

(define* (operating-system-kernel-arguments
          os root-device #:key (version %boot-parameters-version))
  "Return all the kernel arguments, including the ones not specified directly
by the user.  VERSION should match that of the target <boot-parameters> record
object that will contain the kernel parameters."
  (append (bootable-kernel-arguments os root-device version)
          (operating-system-user-kernel-arguments os)))


;;;
;;; Boot parameters
;;;

;;; Version 1 (early 2022) switched from long option names such as '--load'
;;; to the conventional initrd option names like 'gnu.load'.
(define %boot-parameters-version 1)

(define-record-type* <boot-parameters>
  boot-parameters make-boot-parameters boot-parameters?
  (label            boot-parameters-label)
  ;; The 'store-device' is used for GRUB's 'search' command: a file system
  ;; UUID, a label or #f, never a device file name such as "/dev/sda3",
  ;; whereas 'root-device' is exactly the device field of the root
  ;; <file-system>.  'store-directory-prefix' is #f or the store's directory
  ;; inside 'store-device' as GRUB sees it (a Btrfs subvolume).
  (root-device      boot-parameters-root-device)
  (bootloader-name  boot-parameters-bootloader-name)
  (bootloader-menu-entries                        ;list of <menu-entry>
   boot-parameters-bootloader-menu-entries)
  (store-device     boot-parameters-store-device)
  (store-mount-point boot-parameters-store-mount-point)
  (store-directory-prefix boot-parameters-store-directory-prefix)
  (store-crypto-devices boot-parameters-store-crypto-devices
                        (default '()))
  (locale           boot-parameters-locale)
  (kernel           boot-parameters-kernel)
  (kernel-arguments boot-parameters-kernel-arguments)
  (initrd           boot-parameters-initrd)
  (multiboot-modules boot-parameters-multiboot-modules)
  (version          boot-parameters-version  ;positive integer
                    (default %boot-parameters-version)))

(define (ensure-not-/dev device)
  "If DEVICE starts with a slash, return #f: Linux device names such as
/dev/sda mean nothing to GRUB, unlike GRUB device names and labels."
  (if (and (string? device) (string-prefix? "/" device))
      #f
      device))

(define (boot-parameters->menu-entry conf)
  "Return a <menu-entry> instance given CONF, a <boot-parameters> instance."
  (let* ((kernel (boot-parameters-kernel conf))
         (multiboot-modules (boot-parameters-multiboot-modules conf))
         (multiboot? (pair? multiboot-modules)))
    (menu-entry
     (label (boot-parameters-label conf))
     (device (boot-parameters-store-device conf))
     (device-mount-point (boot-parameters-store-mount-point conf))
     (linux (and (not multiboot?) kernel))
     (linux-arguments (if (not multiboot?)
                          (boot-parameters-kernel-arguments conf)
                          '()))
     (initrd (boot-parameters-initrd conf))
     (multiboot-kernel (and multiboot? kernel))
     (multiboot-arguments (if multiboot?
                              (boot-parameters-kernel-arguments conf)
                              '()))
     (multiboot-modules (if multiboot?
                            (boot-parameters-multiboot-modules conf)
                            '())))))


;;;
;;; Services.
;;;

(define (non-boot-file-system-service os)
  "Return the file system service for the file systems of OS that are not
marked as 'needed-for-boot'."
  (define file-systems
    (remove file-system-needed-for-boot?
            (operating-system-file-systems os)))

  (define mapped-devices-for-boot
    (operating-system-boot-mapped-devices os))

  (define (device-mappings fs)
    (let ((device (file-system-device fs)))
      (if (string? device)                        ;title is 'device
          (filter (lambda (md)
                    (any (lambda (target) (string=? device target))
                         (map (lambda (target)
                                (string-append "/dev/mapper" target))
                              (mapped-device-targets md))))
                  (operating-system-mapped-devices os))
          '())))

  (define (add-dependencies fs)
    ;; Add the dependencies due to device mappings to FS.
    (file-system
      (inherit fs)
      (dependencies
       (delete-duplicates
        (remove (lambda (dep) (member dep mapped-devices-for-boot))
                (append (device-mappings fs)
                        (file-system-dependencies fs)))
        eq?))))

  (service file-system-service-type
           (map add-dependencies file-systems)))

(define (boot-file-system-service os)
  "Return a service which adds, to the system profile, packages providing the
utilities for the file systems marked as 'needed-for-boot' in OS."
  (let ((file-systems (filter file-system-needed-for-boot?
                              (operating-system-file-systems os))))
    (simple-service 'boot-file-system-utilities profile-service-type
                    (file-system-utilities file-systems))))

(define (mapped-device-users device file-systems)
  "Return the subset of FILE-SYSTEMS that use DEVICE."
  (let ((targets (map (lambda (target) (string-append "/dev/mapper/" target))
                      (mapped-device-targets device))))
    (filter (lambda (fs)
              (or (member device (file-system-dependencies fs))
                  (and (string? (file-system-device fs))
                       (any (lambda (target)
                              (string=? (file-system-device fs) target))
                            targets))))
            file-systems)))

(define (operating-system-user-mapped-devices os)
  "Return the subset of mapped devices that can be installed in
user-land--i.e., those not needed during boot."
  (let ((devices      (operating-system-mapped-devices os))
        (file-systems (operating-system-file-systems os)))
    (filter (lambda (md)
              (let ((users (mapped-device-users md file-systems)))
                (not (any file-system-needed-for-boot? users))))
            devices)))

(define (operating-system-boot-mapped-devices os)
  "Return the subset of mapped devices that must be installed during boot,
from the initrd."
  (let ((devices      (operating-system-mapped-devices os))
        (file-systems (operating-system-file-systems os)))
    (filter (lambda (md)
              (let ((users (mapped-device-users md file-systems)))
                (any file-system-needed-for-boot? users)))
            devices)))

(define (operating-system-bootloader-crypto-devices os)
  "Return the sources of the LUKS mapped devices specified by UUID."
  ;; Device ordering is important: keep the user's.
  (let* ((luks-devices (filter (lambda (m)
                                 (eq? luks-device-mapping
                                      (mapped-device-type m)))
                               (operating-system-boot-mapped-devices os)))
         (uuid-crypto-devices (filter (lambda (m)
                                        (uuid? (mapped-device-source m)))
                                      luks-devices))
         (non-uuid-crypto-devices (remove (lambda (m)
                                            (uuid? (mapped-device-source m)))
                                          luks-devices)))
    (for-each (lambda (dev)
                (warning (source-properties->location
                          (mapped-device-location dev))
                         "mapped device '~a' may be ignored by bootloader~%"
                         (mapped-device-source dev)))
              non-uuid-crypto-devices)
    (map mapped-device-source uuid-crypto-devices)))

(define (device-mapping-services os)
  "Return the list of device-mapping services for OS as a list."
  (map device-mapping-service
       (operating-system-user-mapped-devices os)))

(define (swap-services os)
  "Return the list of swap services for OS."
  (define early-userspace-file-systems
    (filter file-system-needed-for-boot?
            (operating-system-file-systems os)))

  (define early-userspace-mapped-devices
    (operating-system-boot-mapped-devices os))

  (define (filter-deps swap)
    (if (swap-space? swap)
        (swap-space
         (inherit swap)
         (dependencies (remove (lambda (dep)
                                 (or (member dep early-userspace-mapped-devices)
                                     (member dep early-userspace-file-systems)))
                               (swap-space-dependencies swap))))
        swap))

  (map (lambda (swap) (swap-service (filter-deps swap)))
       (operating-system-swap-devices os)))

(define* (system-linux-image-file-name #:optional (target "x86_64-linux"))
  "Return the basename of the kernel image file for TARGET."
  (cond
   ((string-prefix? "arm" target) "zImage")
   ((string-prefix? "mips" target) "vmlinuz")
   ((string-prefix? "aarch64" target) "Image")
   ((string-prefix? "riscv64" target) "Image")
   (else "bzImage")))

(define (operating-system-kernel-file os)
  "Return an object representing the absolute file name of the kernel image of
OS."
  (if (operating-system-hurd os)
      (file-append (operating-system-kernel os) "/boot/gnumach")
      (file-append (operating-system-kernel os)
                   "/" (system-linux-image-file-name))))

(define %default-modprobe-blacklist
  ;; List of kernel modules to blacklist by default.
  '("usbmouse" ;races with bcm5974, see <https://bugs.gnu.org/35574>
    "usbkbd")) ;races with usbhid, see <https://issues.guix.gnu.org/35574#18>

(define %default-kernel-arguments
  ;; Default arguments passed to the kernel.
  (list (string-append "modprobe.blacklist="
                       (string-join %default-modprobe-blacklist ","))
        "quiet"))

(define (operating-system-directory-base-entries os)
  "Return the basic entries of the 'system' directory of OS for use as the
value of the SYSTEM-SERVICE-TYPE service."
  (let* ((locale  (operating-system-locale-directory os))
         (kernel  (operating-system-kernel os))
         (hurd    (operating-system-hurd os))
         (initrd  (and (not hurd) (operating-system-initrd-file os)))
         (params  (operating-system-boot-parameters-file os)))
    `(,@(if hurd
            `(("hurd" ,hurd)
              ("kernel" ,kernel))
            '())
      ("parameters" ,params)
      ,@(if initrd `(("initrd" ,initrd)) '())
      ("locale" ,locale))))                       ;used by libc

(define (operating-system-default-essential-services os)
  "Return the list of essential services for OS.  These are special services
that implement part of what's declared in OS are responsible for low-level
bookkeeping."
  (let* ((mappings     (device-mapping-services os))
         (root-fs      (root-file-system-service))
         (boot-fs      (boot-file-system-service os))
         (non-boot-fs  (non-boot-file-system-service os))
         (swaps        (swap-services os))
         (procs        (service user-processes-service-type))
         (host-name    (operating-system-host-name os))
         (hosts-file   (%operating-system-hosts-file os))
         (entries      (operating-system-directory-base-entries os)))
    (cons* (service system-service-type entries)
           (service linux-builder-service-type
                    (linux-builder-configuration
                      (kernel   (operating-system-kernel os))
                      (modules  (operating-system-kernel-loadable-modules os))))
           %boot-service

           ;; %SHEPHERD-ROOT-SERVICE must come last so that the gexp that
           ;; execs shepherd comes last in the boot script.  Likewise, the
           ;; cleanup service must come first so that its gexp runs before
           ;; activation code.
           (service cleanup-service-type #f)
           %activation-service
           %shepherd-root-service

           (pam-root-service (operating-system-pam-services os))
           ;; The privileged-programs activation script must run after
           ;; accounts are created.
           (service privileged-program-service-type
                    (append (operating-system-privileged-programs os)
                            (operating-system-setuid-programs os)))
           (account-service (append (operating-system-accounts os)
                                    (operating-system-groups os))
                            (operating-system-skeletons os))
           (operating-system-etc-service os)
           ;; XXX: hosts-file is deprecated
           (if hosts-file
               (simple-service 'deprecated-hosts-file etc-service-type
                               (list `("hosts" ,hosts-file)))
               (service hosts-service-type
                        (local-host-entries host-name)))
           (service fstab-service-type
                    (filter file-system-needed-for-boot?
                            (operating-system-file-systems os)))
           (session-environment-service
            (operating-system-environment-variables os))
           (service host-name-service-type host-name)
           procs root-fs
           (service profile-service-type
                    (operating-system-packages os))
           boot-fs non-boot-fs
           (append mappings swaps

                   ;; Add the firmware service.
                   (list %linux-bare-metal-service
                         (service firmware-service-type
                                  (operating-system-firmware os)))))))

(define (hurd-default-essential-services os)
  "Return the list of essential services for OS, a GNU/Hurd system."
  (let ((host-name    (operating-system-host-name os))
        (hosts-file   (%operating-system-hosts-file os))
        (entries      (operating-system-directory-base-entries os)))
    (cons* (service system-service-type entries)
           %boot-service
           %hurd-startup-service
           %activation-service
           (service shepherd-root-service-type)

           (service user-processes-service-type)
           ;; The privileged-programs activation script must run after
           ;; accounts are created.
           (service privileged-program-service-type
                    (append (operating-system-privileged-programs os)
                            (operating-system-setuid-programs os)))
           (account-service (append (operating-system-accounts os)
                                    (operating-system-groups os))
                            (operating-system-skeletons os))
           (root-file-system-service)
           (service file-system-service-type '())
           (service fstab-service-type
                    (filter file-system-needed-for-boot?
                            (operating-system-file-systems os)))
           (pam-root-service (operating-system-pam-services os))
           (operating-system-etc-service os)
           ;; XXX: hosts-file is deprecated
           (if hosts-file
               (simple-service 'deprecated-hosts-file etc-service-type
                               (list `("hosts" ,hosts-file)))
               (service hosts-service-type
                        (local-host-entries host-name)))
           (service profile-service-type (operating-system-packages os))
           (swap-services os))))

(define (operating-system-services os)
  "Return all the services of OS, including \"essential\" services."
  (instantiate-missing-services
   (append (operating-system-user-services os)
           (operating-system-essential-services os))))

(define (operating-system-with-gc-roots os roots)
  "Return a variant of OS where ROOTS are registered as GC roots."
  (operating-system
    (inherit os)

    ;; Used for the installation OS, which already defines GC roots: add
    ;; ROOTS to those.
    (services (cons (simple-service 'extra-root
                                    gc-root-service-type roots)
                    (operating-system-user-services os)))))

(define (operating-system-configuration-file os)
  "Return the configuration file of OS, based on its 'location' field, or #f
if it could not be determined."
  (let ((file (and=> (operating-system-location os)
                     location-file)))
    (and (string? file) file)))

(define* (operating-system-with-provenance os
                                           #:optional
                                           (config-file
                                            (operating-system-configuration-file
                                             os)))
  "Return a variant of OS that stores its own provenance information,
including CONFIG-FILE, if available.  This is achieved by adding an instance
of PROVENANCE-SERVICE-TYPE to its services."
  (operating-system
    (inherit os)
    (services (cons (service provenance-service-type config-file)
                    (operating-system-user-services os)))))


;;;
;;; /etc.
;;;

(define %base-firmware
  ;; Firmware usable by default.
  (list ath9k-htc-ar7010-firmware
        ath9k-htc-ar9271-firmware
        openfwwf-firmware))

(define %base-packages-artwork
  ;; Default set of artwork packages.
  (list guix-backgrounds
        guix-icons))

(define %base-packages-utils
  ;; Default set of utilities packages.
  (cons* procps psmisc which
         shadow                                   ;for 'passwd'

         e2fsprogs                                ;for lsattr, chattr, etc.

         guile-3.0-latest

         (list bash coreutils findutils grep sed
               diffutils patch gawk tar
               gzip bzip2 lzip xz zstd)))

(define %base-packages-linux
  ;; Default set of linux specific packages.
  (list pciutils usbutils
        util-linux+udev
        ;; 'insmod' & co. come from kmod, which udev depends on anyway.
        kmod eudev))

(define %base-packages-interactive
  ;; Default set of common interactive packages.
  (list less mg nano
        nvi
        man-db
        info-reader                     ;the standalone Info reader (no Perl)
        bash-completion
        kbd
        ;; 'sudo' is already in %DEFAULT-PRIVILEGED-PROGRAMS, but we also want
        ;; the other commands and the man pages (Emacs' shell completion
        ;; relies on man pages).
        sudo
        guile-readline guile-colorized))

(define %base-packages-networking
  ;; Default set of networking packages.
  (list inetutils isc-dhcp
        iproute
        wget
        nss-certs
        ;; wireless-tools is deprecated in favor of iw, but it's still what
        ;; many people are familiar with, so keep it around.
        iw wireless-tools))

(define %base-packages-disk-utilities
  ;; Deprecated: empty.
  '())

(define %base-packages
  ;; Default set of packages globally visible.  It should include anything
  ;; required for basic administrator tasks.
  (append %base-packages-interactive
          %base-packages-linux
          %base-packages-networking
          %base-packages-utils))

(define %default-issue
  ;; Default contents for /etc/issue.
  "
This is the GNU system.  Welcome.\n")

(define (local-host-aliases host-name)
  "Deprecated: return aliases for HOST-NAME, to be used in /etc/hosts; use
'local-host-entries'."
  (string-append "127.0.0.1 localhost " host-name "\n"
                 "::1       localhost " host-name "\n"))

(define (local-host-entries host-name)
  "Return <host> records for @var{host-name}."
  (map (lambda (address)
         (host address "localhost" (list host-name)))
       '("127.0.0.1" "::1")))

(define (validated-sudoers-file file)
  "Return a copy of FILE, a sudoers file, after checking that it is
syntactically correct."
  (computed-file "sudoers"
                 (with-imported-modules '((guix build utils))
                   #~(begin
                       (use-modules (guix build utils))

                       (invoke #+(file-append sudo "/sbin/visudo")
                               "--check" "--file" #$file)
                       (copy-file #$file #$output)))))

(define os-release
  (plain-file "os-release" "\
NAME=\"Guix System\"
ID=guix
PRETTY_NAME=\"Guix System\"
LOGO=guix-icon
HOME_URL=\"https://guix.gnu.org\"
DOCUMENTATION_URL=\"https://guix.gnu.org/en/manual\"
SUPPORT_URL=\"https://guix.gnu.org/en/help\"
BUG_REPORT_URL=\"https://lists.gnu.org/mailman/listinfo/bug-guix\"
"))

(define (operating-system-etc-service os)
  "Return a <service> that builds a directory containing the static part of
the /etc directory."
  (let* ((login.defs
          (plain-file "login.defs"
                      (string-append
                       "# Default paths for non-login shells started by su(1).\n"
                       "ENV_PATH    /run/privileged/bin:"
                       "/run/current-system/profile/bin:"
                       "/run/current-system/profile/sbin\n"
                       "ENV_SUPATH  /run/privileged/bin:"
                       "/run/current-system/profile/bin:"
                       "/run/current-system/profile/sbin\n"

                       "\n"
                       "# Allow 'chfn' to change the full name,\n"
                       "# room number, and so on.\n"
                       "CHFN_RESTRICT   frwh\n")))

         (hurd       (operating-system-hurd os))
         (issue      (plain-file "issue" (operating-system-issue os)))
         (nsswitch   (and=> (operating-system-name-service-switch os)
                            (lambda (nss)
                              (plain-file "nsswitch.conf"
                                          (name-service-switch->string nss)))))
         (sudoers    (operating-system-sudoers-file os))

         ;; Startup file for POSIX-compliant login shells, which set
         ;; system-wide environment variables.
         (profile    (mixed-text-file "profile"  "\
# Crucial variables that could be missing in the profiles' 'etc/profile'
# because they would require combining both profiles.
# FIXME: See <http://bugs.gnu.org/20255>.
export MANPATH=$HOME/.guix-profile/share/man:/run/current-system/profile/share/man
export INFOPATH=$HOME/.guix-profile/share/info:/run/current-system/profile/share/info
export XDG_DATA_DIRS=$HOME/.guix-profile/share:/run/current-system/profile/share
export XDG_CONFIG_DIRS=$HOME/.guix-profile/etc/xdg:/run/current-system/profile/etc/xdg

# Make sure libXcursor finds cursors installed into user or system profiles.  See <http://bugs.gnu.org/24445>
export XCURSOR_PATH=$HOME/.icons:$HOME/.guix-profile/share/icons:/run/current-system/profile/share/icons

# Ignore the default value of 'PATH'.
unset PATH

# Load the system profile's settings.
GUIX_PROFILE=/run/current-system/profile ; \\
. /run/current-system/profile/etc/profile

# Since 'lshd' does not use pam_env, /etc/environment must be explicitly
# loaded when someone logs in via SSH.  See <http://bugs.gnu.org/22175>.
# We need 'PATH' to be defined here, for 'cat' and 'cut'.  Do this before
# reading the user's 'etc/profile' to allow variables to be overridden.
if [ -f /etc/environment -a -n \"$SSH_CLIENT\" \\
     -a -z \"$LINUX_MODULE_DIRECTORY\" ]
then
  . /etc/environment
  export `cat /etc/environment | cut -d= -f1`
fi

# Arrange so that ~/.config/guix/current comes first,
# and guix-home comes before guix-profile.
for profile in \"$HOME/.guix-profile\"        \\
               \"$HOME/.guix-home/profile\"   \\
               \"$HOME/.config/guix/current\"
do
  if [ -f \"$profile/etc/profile\" ]
  then
    # Load the user profile's settings.
    GUIX_PROFILE=\"$profile\" ; \\
    . \"$profile/etc/profile\"
  else
    # At least define this one so that basic things just work
    # when the user installs their first package.
    export PATH=\"$profile/bin:$PATH\"
  fi
done

# Prepend privileged programs.
export PATH=/run/privileged/bin:$PATH

# Arrange so that ~/.config/guix/current/share/info comes first.
export INFOPATH=\"$HOME/.config/guix/current/share/info:$INFOPATH\"

# Set the umask, notably for users logging in via 'lsh'.
# See <http://bugs.gnu.org/22650>.
umask 022

# Allow Hunspell-based applications (IceCat, LibreOffice, etc.) to
# find dictionaries.
export DICPATH=\"$HOME/.guix-profile/share/hunspell:/run/current-system/profile/share/hunspell\"

# Allow GStreamer-based applications to find plugins.
export GST_PLUGIN_PATH=\"$HOME/.guix-profile/lib/gstreamer-1.0\"

for i in /etc/profile.d/*.sh; do
    if [ -r \"$i\" ]; then
        if [ \"${-#*i}\" != \"$-\" ]; then
            . \"$i\"
        else
            . \"$i\" >/dev/null
        fi
    fi
done
unset i

if [ -n \"$BASH_VERSION\" -a -f /etc/bashrc ]
then
  # Load Bash-specific initialization code.
  . /etc/bashrc
fi
"))

         (bashrc    (plain-file "bashrc" "\
# Bash-specific initialization.

# Provide a default prompt.  The user's ~/.bashrc can override it.
PS1='\\u@\\h \\w${GUIX_ENVIRONMENT:+ [env]}\\$ '

# The 'bash-completion' package.
if [ -f /run/current-system/profile/etc/profile.d/bash_completion.sh ]
then
  # Bash-completion sources ~/.bash_completion.  It installs a dynamic
  # completion loader that searches its own completion files as well
  # as those in ~/.guix-profile and /run/current-system/profile.
  source /run/current-system/profile/etc/profile.d/bash_completion.sh
fi

for i in /etc/bashrc.d/*.sh; do
    [[ -r $i ]] && source \"$i\"
done
unset i
")))
    (service etc-service-type
             `(("os-release" ,os-release)
               ("services" ,(file-append net-base "/etc/services"))
               ("protocols" ,(file-append net-base "/etc/protocols"))
               ("rpc" ,(file-append net-base "/etc/rpc"))
               ("login.defs" ,login.defs)
               ("issue" ,issue)
               ,@(if nsswitch `(("nsswitch.conf" ,nsswitch)) '())
               ("profile" ,profile)
               ("bashrc" ,bashrc)
               ;; /etc/hostname keeps NetworkManager from changing the host
               ;; name when connecting to some networks.
               ("hostname" ,(plain-file "hostname" (operating-system-host-name os)))
               ;; Some programs (GLib) read the time zone from /etc/timezone,
               ;; and some expect a terminating newline.
               ("timezone" ,(plain-file "timezone"
                                        (string-append
                                         (string-trim-both
                                          (operating-system-timezone os))
                                         "\n")))
               ("localtime" ,(file-append tzdata "/share/zoneinfo/"
                                          (operating-system-timezone os)))
               ,@(if sudoers
                     `(("sudoers" ,(validated-sudoers-file sudoers)))
                     '())
               ,@(if hurd
                     `(("login" ,(file-append hurd "/etc/login"))
                       ("motd"  ,(file-append hurd "/etc/motd"))
                       ("ttys"  ,(file-append hurd "/etc/ttys")))
                     '())))))

(define %root-account
  ;; Default root account.
  (user-account
   (name "root")
   (password "")
   (uid 0) (group "root")
   (comment "System administrator")
   (home-directory "/root")))

(define (operating-system-accounts os)
  "Return the user accounts for OS, including an obligatory 'root' account,
and excluding accounts requested by services."
  ;; Make sure there's a root account.
  (if (find (lambda (user)
              (and=> (user-account-uid user) zero?))
            (operating-system-users os))
      (operating-system-users os)
      (cons %root-account (operating-system-users os))))

(define (operating-system-etc-directory os)
  "Return that static part of the /etc directory of OS."
  (etc-directory
   (fold-services (operating-system-services os)
                  #:target-type etc-service-type)))

(define (operating-system-environment-variables os)
  "Return the environment variables of OS for
@var{session-environment-service-type}, to be used in @file{/etc/environment}."
  `(("LANG" . ,(operating-system-locale os))
    ;; No 'TZ': /etc/localtime is there, and TZ does not work for setuid
    ;; binaries.  See <https://bugs.gnu.org/29212>.
    ("TZDIR" . ,(file-append tzdata "/share/zoneinfo"))
    ;; Tell 'modprobe' & co. where to look for modules.
    ("LINUX_MODULE_DIRECTORY" . "/run/booted-system/kernel/lib/modules")
    ;; These variables are honored by OpenSSL (libssl) and Git.
    ("SSL_CERT_DIR" . "/etc/ssl/certs")
    ("SSL_CERT_FILE" . "/etc/ssl/certs/ca-certificates.crt")
    ("GIT_SSL_CAINFO" . "/etc/ssl/certs/ca-certificates.crt")

    ;; 'GTK_DATA_PREFIX' must name one directory where GTK+ themes are
    ;; searched for.
    ("GTK_DATA_PREFIX" . "/run/current-system/profile")

    ;; D-Bus applications such as Emacs abort at startup when
    ;; /etc/machine-id is missing, unless these warnings are non-fatal.
    ("DBUS_FATAL_WARNINGS" . "0")))

(define %default-privileged-programs
  (cons*
   (privileged-program
    (program (file-append inetutils "/bin/ping"))
    (capabilities "cap_net_raw=ep"))
   (privileged-program
    (program (file-append inetutils "/bin/ping6"))
    (capabilities "cap_net_raw=ep"))
   (map file-like->setuid-program
        (list (file-append shadow "/bin/passwd")
              (file-append shadow "/bin/chfn")
              (file-append shadow "/bin/sg")
              (file-append shadow "/bin/su")
              (file-append shadow "/bin/newgrp")
              (file-append shadow "/bin/newuidmap")
              (file-append shadow "/bin/newgidmap")
              (file-append sudo "/bin/sudo")
              (file-append sudo "/bin/sudoedit")
              (file-append fuse-2 "/bin/fusermount")
              (file-append fuse "/bin/fusermount3")

              ;; "mount" and "umount" must be setuid-root for mounts with
              ;; the "user" option.
              (file-append util-linux "/bin/mount")
              (file-append util-linux "/bin/umount")))))

(define %setuid-programs
  ;; Defined only to ease the transition to %default-privileged-programs;
  ;; do not add to it.
  '())

(define %sudoers-specification
  ;; Default /etc/sudoers contents: 'root' and all members of the 'wheel'
  ;; group can do anything.
  (plain-file "sudoers" "\
root ALL=(ALL) ALL
%wheel ALL=(ALL) ALL\n"))

(define (operating-system-activation-script os)
  "Return the activation script for OS---i.e., the code that \"activates\" the
stateful part of OS, including user accounts and groups, special directories,
etc."
  (let* ((services   (operating-system-services os))
         (activation (fold-services services
                                    #:target-type activation-service-type)))
    (activation-service->script activation)))

(define (operating-system-boot-script os)
  "Return the boot script for OS---i.e., the code started by the initrd once
we're running in the final root."
  (let* ((services (operating-system-services os))
         (boot     (fold-services services #:target-type boot-service-type)))
    (service-value boot)))

(define (operating-system-user-accounts os)
  "Return the list of user accounts of OS."
  (let* ((services (operating-system-services os))
         (account  (fold-services services
                                  #:target-type account-service-type)))
    (filter user-account?
            (service-value account))))

(define (operating-system-shepherd-service-names os)
  "Return the list of Shepherd service names for OS."
  (append-map shepherd-service-provision
              (shepherd-configuration-services
               (service-value
                (fold-services (operating-system-services os)
                               #:target-type
                               shepherd-root-service-type)))))

(define (operating-system-derivation os)
  "Return what builds OS: the final value of its system service."
  (service-value (fold-services (operating-system-services os))))

(define (operating-system-profile os)
  "Return the system profile of OS: the value of its profile service."
  (service-value (fold-services (operating-system-services os)
                                #:target-type profile-service-type)))

(define (operating-system-root-file-system os)
  "Return the root file system of OS."
  (or (find (lambda (fs)
              (string=? "/" (file-system-mount-point fs)))
            (operating-system-file-systems os))
      (raise-located-error (operating-system-location os)
                           "missing root file system"
                           "add a file-system whose mount-point is \"/\" to \
the file-systems field, as in (cons (file-system (mount-point \"/\") …) \
%base-file-systems)")))

(define (operating-system-initrd-file os)
  "Return a file-like object for the initrd file of OS."
  (define boot-file-systems
    (filter file-system-needed-for-boot?
            (operating-system-file-systems os)))

  (define mapped-devices
    (operating-system-boot-mapped-devices os))

  (define make-initrd
    (operating-system-initrd os))

  (make-initrd boot-file-systems
               #:linux (operating-system-kernel os)
               #:linux-modules
               (operating-system-initrd-modules os)
               #:mapped-devices mapped-devices
               #:keyboard-layout (operating-system-keyboard-layout os)))

(define (locale-name->definition* name)
  "Variant of 'locale-name->definition' that raises an error upon failure."
  (or (locale-name->definition name)
      (raise-located-error #f (format #f "~a: invalid locale name" name))))

(define (operating-system-locale-directory os)
  "Return the directory containing the locales compiled for the definitions
listed in OS.  The C library expects to find it under
/run/current-system/locale."
  (define name
    (operating-system-locale os))

  (define definitions
    ;; While we're at it, check whether NAME is defined and add it if needed.
    (if (member name (map locale-definition-name
                          (operating-system-locale-definitions os)))
        (operating-system-locale-definitions os)
        (cons (locale-name->definition* name)
              (operating-system-locale-definitions os))))

  (locale-directory definitions
                    #:libcs (operating-system-locale-libcs os)))

(define* (kernel->boot-label kernel #:key hurd)
  "Return a label for the bootloader menu entry that boots KERNEL."
  (cond ((package? hurd)
         (string-append "GNU with the "
                        (string-titlecase (package-name hurd)) " "
                        (package-version hurd)))
        ((package? kernel)
         (string-append "GNU with "
                        (string-titlecase (package-name kernel)) " "
                        (package-version kernel)))
        (else "GNU")))

(define (operating-system-default-label os)
  "Return the default label for OS, as it will appear in the bootloader menu
entry."
  (kernel->boot-label (operating-system-kernel os)
                      #:hurd (operating-system-hurd os)))

(define (store-file-system file-systems)
  "Return the file system object among FILE-SYSTEMS that contains the store."
  (let ((candidates (filter (lambda (fs)
                              (and (file-system-mount? fs)
                                   (not (memq 'bind-mount
                                              (file-system-flags fs)))
                                   (string-prefix? (file-system-mount-point fs)
                                                   "/gnu/store")))
                            file-systems)))
    (and (pair? candidates)
         (reduce (lambda (fs1 fs2)
                   (if (> (string-length (file-system-mount-point fs1))
                          (string-length (file-system-mount-point fs2)))
                       fs1
                       fs2))
                 (car candidates)
                 candidates))))

(define (operating-system-store-file-system os)
  "Return the file system that contains the store of OS."
  (store-file-system (operating-system-file-systems os)))

(define* (operating-system-bootcfg os #:optional (old-entries '()))
  "Return the bootloader configuration file for OS.  Use OLD-ENTRIES,
a list of <menu-entry>, to populate the \"old entries\" menu."
  (let* ((file-systems    (operating-system-file-systems os))
         (root-fs         (operating-system-root-file-system os))
         (root-device     (file-system-device root-fs))
         (locale          (operating-system-locale os))
         (crypto-devices  (operating-system-bootloader-crypto-devices os))
         (params          (operating-system-boot-parameters
                           os root-device
                           #:system-kernel-arguments? #t))
         (entry           (boot-parameters->menu-entry params))
         (bootloader-conf (operating-system-bootloader os)))

    (define generate-config-file
      (bootloader-configuration-file-generator
       (bootloader-configuration-bootloader bootloader-conf)))

    (generate-config-file bootloader-conf (list entry)
                          #:old-entries old-entries
                          #:locale locale
                          #:store-crypto-devices crypto-devices
                          #:store-directory-prefix
                          (btrfs-store-subvolume-file-name file-systems))))

(define (operating-system-multiboot-modules os)
  (if (operating-system-hurd os) (hurd-multiboot-modules os) '()))

(define (hurd-multiboot-modules os)
  (let* ((hurd (operating-system-hurd os))
         (pci-arbiter-command
          (list (file-append hurd "/hurd/pci-arbiter.static")
                "pci-arbiter"
                "--host-priv-port='${host-port}'"
                "--device-master-port='${device-port}'"
                "--next-task='${disk-task}'"
                "'$(pci-task=task-create)'"
                "'$(task-resume)'"))
         (rumpdisk-command
          (list (file-append hurd "/hurd/rumpdisk.static")
                "rumpdisk"
                "--next-task='${fs-task}'"
                "'$(disk-task=task-create)'"))
         (root-file-system-command
          (list (file-append hurd "/hurd/ext2fs.static")
                "ext2fs"
                "--multiboot-command-line='${kernel-command-line}'"
                "--exec-server-task='${exec-task}'"
                "--store-type=typed"
                "'${root}'"
                "'$(fs-task=task-create)'"))
         (exec-server-command
          ;; The statically-linked 'exec' works around
          ;; <https://issues.guix.gnu.org/58320>.
          (list (file-append hurd "/hurd/exec.static") "exec"
                "'$(exec-task=task-create)'")))
    (list pci-arbiter-command
          rumpdisk-command
          root-file-system-command
          exec-server-command)))

(define* (operating-system-boot-parameters os root-device
                                           #:key system-kernel-arguments?)
  "Return a <boot-parameters> record that describes the boot parameters of
OS.  When SYSTEM-KERNEL-ARGUMENTS? is true, add the kernel arguments 'root',
'gnu.load' and 'gnu.system', which refer to the system itself."
  (let* ((initrd          (and (not (operating-system-hurd os))
                               (operating-system-initrd-file os)))
         (store           (operating-system-store-file-system os))
         (file-systems    (operating-system-file-systems os))
         (crypto-devices  (operating-system-bootloader-crypto-devices os))
         (locale          (operating-system-locale os))
         (bootloader      (bootloader-configuration-bootloader
                           (operating-system-bootloader os)))
         (bootloader-name (bootloader-name bootloader))
         (label           (operating-system-label os))
         (multiboot-modules (operating-system-multiboot-modules os)))
    (boot-parameters
     (label label)
     (root-device root-device)
     (kernel (operating-system-kernel-file os))
     (kernel-arguments
      (if system-kernel-arguments?
          (operating-system-kernel-arguments os root-device)
          (operating-system-user-kernel-arguments os)))
     (initrd initrd)
     (multiboot-modules multiboot-modules)
     (bootloader-name bootloader-name)
     (bootloader-menu-entries
      (bootloader-configuration-menu-entries (operating-system-bootloader os)))
     (locale locale)
     (store-device (ensure-not-/dev (file-system-device store)))
     (store-directory-prefix (btrfs-store-subvolume-file-name file-systems))
     (store-crypto-devices crypto-devices)
     (store-mount-point (file-system-mount-point store)))))

(define (device->sexp device)
  "Serialize DEVICE as an sexp (really, as an object with a read syntax.)"
  (cond ((uuid? device)
         `(uuid ,(uuid-type device) ,(uuid-bytevector device)))
        ((file-system-label? device)
         `(file-system-label ,(file-system-label->string device)))
        (else device)))

(define (operating-system-boot-parameters-file os)
  "Return a file that describes the boot parameters of OS.  The primary use
of this file is the reconstruction of GRUB menu entries for old
configurations."
  (let* ((root   (operating-system-root-file-system os))
         (device (file-system-device root))
         (params (operating-system-boot-parameters os device)))
    (scheme-file "parameters"
                 #~(boot-parameters
                    (version #$(boot-parameters-version params))
                    (label #$(boot-parameters-label params))
                    (root-device
                     #$(device->sexp
                        (boot-parameters-root-device params)))
                    (kernel #$(boot-parameters-kernel params))
                    (kernel-arguments
                     #$(boot-parameters-kernel-arguments params))
                    #$@(if (boot-parameters-initrd params)
                           #~((initrd #$(boot-parameters-initrd params)))
                           #~())
                    #$@(if (pair? (boot-parameters-multiboot-modules params))
                           #~((multiboot-modules
                               #$(boot-parameters-multiboot-modules params)))
                           #~())
                    (bootloader-name #$(boot-parameters-bootloader-name params))
                    (bootloader-menu-entries
                     #$(map menu-entry->sexp
                            (or (and=> (operating-system-bootloader os)
                                       bootloader-configuration-menu-entries)
                                '())))
                    (locale #$(boot-parameters-locale params))
                    (store
                     (device
                      #$(device->sexp (boot-parameters-store-device params)))
                     (mount-point #$(boot-parameters-store-mount-point
                                     params))
                     (directory-prefix
                      #$(boot-parameters-store-directory-prefix params))
                     (crypto-devices
                      #$(map device->sexp
                             (boot-parameters-store-crypto-devices params)))))
                 #:set-load-path? #f)))
