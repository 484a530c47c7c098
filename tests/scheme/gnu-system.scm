;;; (gnu system) and the modules it is made of: operating-system defaults,
;;; inheritance, this-operating-system, file systems, UUIDs, accounts,
;;; bootloader configurations, and the essential services of a Hurd system.
(use-modules (srfi srfi-64)
             (gnu)
             (gnu system hurd)
             (gnu system uuid)
             (gnu services hurd)
             (guix packages)
             ;; Guix has these in (guix diagnostics)
             ((schemos system-support)
              #:select (location-file location-line location-column)))
(use-service-modules ssh)

(test-begin "gnu-system")

(define %root
  (file-system
    (device (file-system-label "my-root"))
    (mount-point "/")
    (type "ext4")))

(define %os
  (operating-system
    (host-name "komputilo")
    (bootloader (bootloader-configuration
                 (bootloader grub-bootloader)
                 (targets '("/dev/sdX"))))
    (file-systems (cons %root %base-file-systems))))

(define (error-message thunk)
  "The message of the error THUNK raises, or #f."
  (guard (e (#t (if (error-object? e) (error-object-message e) e)))
    (thunk)
    #f))

(define (stderr-of thunk)
  "What THUNK writes on the current error port."
  (call-with-output-string
    (lambda (port)
      (parameterize ((current-error-port port))
        (thunk)))))

;;; operating-system defaults

(test-group "defaults"
  (test-equal "Etc/UTC" (operating-system-timezone %os))
  (test-equal "en_US.utf8" (operating-system-locale %os))
  (test-eq %base-user-accounts (operating-system-users %os))
  (test-eq %base-groups (operating-system-groups %os))
  (test-eq %base-packages (operating-system-packages %os))
  (test-eq %base-firmware (operating-system-firmware %os))
  (test-eq %default-kernel-arguments (operating-system-user-kernel-arguments %os))
  (test-equal '("modprobe.blacklist=usbmouse,usbkbd" "quiet")
    %default-kernel-arguments)
  (test-equal "linux-libre" (package-name (operating-system-kernel %os)))
  (test-eqv #f (operating-system-hurd %os))
  (test-eqv #f (operating-system-keyboard-layout %os))
  (test-equal '() (operating-system-mapped-devices %os))
  (test-equal '() (operating-system-swap-devices %os))
  (test-equal '() (operating-system-kernel-loadable-modules %os))
  (test-eq %default-privileged-programs (operating-system-privileged-programs %os))
  (test-equal '() (operating-system-setuid-programs %os))
  (test-eq %default-nss (operating-system-name-service-switch %os))
  (test-eq %sudoers-specification (operating-system-sudoers-file %os))
  (test-equal "\nThis is the GNU system.  Welcome.\n" (operating-system-issue %os))
  (test-equal (string-append "GNU with Linux-Libre "
                             (package-version (operating-system-kernel %os)))
    (operating-system-label %os))
  (test-assert (member "ahci" (operating-system-initrd-modules %os)))
  (test-equal '("/dev/sdX")
    (bootloader-configuration-targets (operating-system-bootloader %os)))
  (test-assert (every package? %base-packages))
  (test-assert (member "coreutils" (map package-name %base-packages)))
  (test-assert (member "nss-certs" (map package-name %base-packages)))
  (test-equal (append %base-packages-interactive %base-packages-linux
                      %base-packages-networking %base-packages-utils)
    %base-packages)
  ;; the location is that of the (operating-system ...) form above
  (test-equal '(24 2)
    (let ((loc (operating-system-location %os)))
      (list (location-line loc) (location-column loc))))
  (test-assert (string-suffix? "gnu-system.scm"
                               (location-file (operating-system-location %os)))))

;;; inheritance and this-operating-system

(define %labelled
  (operating-system
    (inherit %os)
    (label (string-append "system of "
                          (operating-system-host-name this-operating-system)))))

(test-group "inherit"
  (test-equal "system of komputilo" (operating-system-label %labelled))
  ;; a thunked field sees the record it belongs to, not the one it came from
  (test-equal "system of gnu"
    (operating-system-label (operating-system (inherit %labelled)
                              (host-name "gnu"))))
  (test-equal "komputilo" (operating-system-host-name %labelled))
  (test-equal "Europe/Paris"
    (operating-system-timezone (operating-system (inherit %os)
                                 (timezone "Europe/Paris")))))

(define %hurd
  (operating-system
    (inherit %hurd-default-operating-system)
    (file-systems (cons (file-system
                          (device (file-system-label "hurd"))
                          (mount-point "/")
                          (type "ext2"))
                        %base-file-systems))
    ;; like Guix's, %hurd-default-operating-system keeps the default
    ;; services, %base-services
    (services %base-services/hurd)))

(test-group "hurd"
  (test-equal "guixygnu" (operating-system-host-name %hurd))
  (test-equal "GNUrope" (operating-system-timezone %hurd))
  (test-equal "gnumach" (package-name (operating-system-kernel %hurd)))
  (test-equal "hurd" (package-name (operating-system-hurd %hurd)))
  (test-equal '() (operating-system-user-kernel-arguments %hurd))
  (test-eqv #f (operating-system-initrd %hurd))
  (test-eqv #f (operating-system-name-service-switch %hurd))
  (test-equal '() (operating-system-firmware %hurd))
  (test-equal '() (operating-system-privileged-programs %hurd))
  (test-eq %setuid-programs/hurd (operating-system-setuid-programs %hurd))
  (test-eq %base-packages/hurd (operating-system-packages %hurd))
  (test-eq 'grub (bootloader-name (bootloader-configuration-bootloader
                                   (operating-system-bootloader %hurd))))
  (test-equal '("/dev/vda")
    (bootloader-configuration-targets (operating-system-bootloader %hurd)))
  (test-equal (string-append "GNU with the Hurd "
                             (package-version (operating-system-hurd %hurd)))
    (operating-system-label %hurd))
  ;; the location is innate: that of this form, not of the inherited one
  (test-equal 106 (location-line (operating-system-location %hurd)))
  ;; six gettys on tty1-6, the console, the guix daemon, syslog, special
  ;; files, and the loopback and QEMU network interfaces
  (test-equal '(console guix special-files syslog
                getty getty getty getty getty getty
                static-networking)
    (map (lambda (s) (service-type-name (service-kind s))) %base-services/hurd))
  (test-equal '("tty1" "tty2" "tty3" "tty4" "tty5" "tty6")
    (map (lambda (s) (hurd-getty-configuration-tty (service-value s)))
         (filter (lambda (s) (eq? hurd-getty-service-type (service-kind s)))
                 %base-services/hurd)))
  (test-equal '("--disable-chroot" "--disable-deduplication")
    (guix-configuration-extra-options
     (service-value (find (lambda (s) (eq? guix-service-type (service-kind s)))
                          %base-services/hurd)))))

(define (service-names os)
  (map (lambda (s) (service-type-name (service-kind s)))
       (operating-system-services os)))

(test-group "essential services"
  ;; hurd-default-essential-services, computed from this-operating-system
  (test-equal '(system boot startup activate shepherd-root user-processes
                privileged-program account root-file-system file-systems fstab
                pam etc etc-hosts profile)
    (map (lambda (s) (service-type-name (service-kind s)))
         (operating-system-essential-services %hurd)))
  (test-assert (every (lambda (name) (memq name (service-names %hurd)))
                      '(console guix special-files syslog getty
                        static-networking system shepherd-root)))
  (test-assert (every (lambda (name)
                        (memq name (operating-system-shepherd-service-names %hurd)))
                      '(loopback networking term-tty1 term-tty6 console syslogd
                        guix-daemon
                        user-processes user-homes root-file-system)))
  ;; the essential services follow the record they belong to
  (test-equal '("127.0.0.1" "::1")
    (map host-address
         (service-value
          (find (lambda (s) (eq? hosts-service-type (service-kind s)))
                (operating-system-essential-services %hurd)))))
  (test-assert (memq 'host-name (service-names %os)))
  (test-assert (memq 'firmware (service-names %os)))
  (test-assert (not (memq 'firmware (service-names %hurd)))))

(test-group "missing root file system"
  (define no-root
    (operating-system
      (inherit %hurd-default-operating-system)
      (host-name "rootless")))
  (test-equal "missing root file system"
    (error-message (lambda () (operating-system-services no-root))))
  (test-equal "missing root file system"
    (error-message (lambda () (operating-system-root-file-system no-root))))
  (test-eq %root (operating-system-root-file-system %os)))

;;; file systems, labels, UUIDs

(test-group "file systems"
  (test-equal '("/dev/pts" "/sys/kernel/debug" "/dev/shm"
                "/sys/firmware/efi/efivars" "/gnu/store")
    (map file-system-mount-point %base-file-systems))
  (test-equal '(read-only bind-mount no-atime)
    (file-system-flags %immutable-store))
  (test-equal "gid=996,mode=620"
    (file-system-options %pseudo-terminal-file-system))
  (test-assert (file-system-label? (file-system-device %root)))
  (test-equal "my-root" (file-system-label->string (file-system-device %root)))
  (test-equal "my-root" (file-system-device->string (file-system-device %root)))
  (test-equal '(() #t #f #t #t preen #f)
    (list (file-system-flags %root) (file-system-check? %root)
          (file-system-options %root) (file-system-mount? %root)
          (file-system-skip-check-if-clean? %root) (file-system-repair %root)
          (file-system-create-mount-point? %root)))
  ;; the root file system holds the store, so it is needed for boot
  (test-assert (file-system-needed-for-boot? %root))
  (test-assert (not (file-system-needed-for-boot? %immutable-store)))
  (test-assert (member "tmpfs" %pseudo-file-system-types))
  (test-equal '(("a" . "1") "b") (file-system-options->alist "a=1,b"))
  (test-equal "a=1,b" (alist->file-system-options '(("a" . "1") "b")))
  (test-equal "invalid file system mount flag: bogus"
    (error-message (lambda () (file-system (inherit %root) (flags '(bogus)))))))

(test-group "uuid"
  (define u (uuid "6b700d61-5550-48a1-874c-a3d86998990e"))
  (test-assert (uuid? u))
  (test-eq 'dce (uuid-type u))
  (test-equal "6b700d61-5550-48a1-874c-a3d86998990e" (uuid->string u))
  (test-equal 16 (bytevector-length (uuid-bytevector u)))
  (test-equal "1234-ABCD" (uuid->string (uuid "1234-abcd" 'fat)))
  (test-equal #vu8(#xcd #xab #x34 #x12) (uuid-bytevector (uuid "1234-ABCD" 'fat32)))
  (test-equal "2020-01-02-03-04-05-06"
    (uuid->string (uuid "2020-01-02-03-04-05-06" 'iso9660)))
  (test-equal "0123456789ABCDEF" (uuid->string (uuid "0123456789abcdef" 'ntfs)))
  ;; a string known only at run time gives #f when it does not parse
  (test-eqv #f (let ((s "not-a-uuid")) (uuid s)))
  (test-eqv #f (string->uuid "1234-ABCD"))
  (test-assert (uuid=? u (string->uuid "6b700d61-5550-48a1-874c-a3d86998990e")))
  (test-equal "6b700d61-5550-48a1-874c-a3d86998990e"
    (file-system-device->string u #:uuid-type 'dce)))

;;; accounts

(test-group "accounts"
  (define alice (user-account (name "alice") (group "users")))
  (test-equal "/home/alice" (user-account-home-directory alice))
  (test-equal "/home/bob"
    (user-account-home-directory (user-account (inherit alice) (name "bob"))))
  (test-assert (file-append? (user-account-shell alice)))
  (test-equal '("/bin/bash") (file-append-suffix (user-account-shell alice)))
  (test-equal '(#f #f () "" #t #f)
    (list (user-account-uid alice) (user-account-password alice)
          (user-account-supplementary-groups alice) (user-account-comment alice)
          (user-account-create-home-directory? alice) (user-account-system? alice)))
  (test-equal '("nobody") (map user-account-name %base-user-accounts))
  (test-equal '(65534 "nogroup" "/nonexistent" #t)
    (let ((nobody (car %base-user-accounts)))
      (list (user-account-uid nobody) (user-account-group nobody)
            (user-account-home-directory nobody) (user-account-system? nobody))))
  (test-equal '("root" "wheel" "users" "nogroup" "tty")
    (list-head (map user-group-name %base-groups) 5))
  (test-equal '(0 996)
    (list (user-group-id (car %base-groups))
          (user-group-id (list-ref %base-groups 4))))
  (test-assert (every user-group-system? %base-groups))
  (test-equal '(".bash_profile" ".zprofile" ".config/nano/nanorc" ".Xdefaults"
                ".guile" ".config/gdb/gdbinit" ".cache/gdb/history"
                "guix-home-config.scm")
    (map car (default-skeletons)))
  (test-equal "root" (user-account-name %root-account))
  (test-eqv 0 (user-account-uid %root-account)))

;;; bootloader configurations

(test-group "bootloader"
  (define old-style #f)
  (define warning-text
    (stderr-of (lambda ()
                 (set! old-style
                   (bootloader-configuration
                    (bootloader grub-minimal-bootloader)
                    (target "/dev/sdX"))))))
  (test-assert (string-contains warning-text
                                "warning: the 'target' field is deprecated, \
please use 'targets' instead"))
  ;; located at the value of the field: line 278, column 28 of this file
  (test-assert (string-contains warning-text "gnu-system.scm:278:28: warning:"))
  (test-equal '("/dev/sdX") (bootloader-configuration-targets old-style))
  (test-equal "/dev/sdX" (bootloader-configuration-target old-style))
  (test-equal ""
    (stderr-of (lambda ()
                 (bootloader-configuration
                  (bootloader grub-minimal-bootloader)
                  (targets '("/dev/vda"))))))
  ;; inheriting does not re-check the value
  (test-equal ""
    (stderr-of (lambda () (bootloader-configuration (inherit old-style)
                            (timeout 3)))))
  (test-equal '(#f)
    (bootloader-configuration-targets
     (bootloader-configuration (bootloader grub-bootloader))))
  (define config (bootloader-configuration (bootloader grub-efi-bootloader)
                                           (targets '("/boot/efi"))))
  (test-equal '(0 5 (gfxterm) () #f #f #f () #t #f)
    (list (bootloader-configuration-default-entry config)
          (bootloader-configuration-timeout config)
          (bootloader-configuration-terminal-outputs config)
          (bootloader-configuration-terminal-inputs config)
          (bootloader-configuration-serial-unit config)
          (bootloader-configuration-theme config)
          (bootloader-configuration-keyboard-layout config)
          (bootloader-configuration-menu-entries config)
          (bootloader-configuration-device-tree-support? config)
          (bootloader-configuration-extra-initrd config)))
  (test-equal '(grub grub grub-efi)
    (map bootloader-name (list grub-bootloader grub-minimal-bootloader
                               grub-efi-bootloader)))
  (test-equal "/boot/grub/grub.cfg" (bootloader-configuration-file grub-bootloader))
  (test-equal "grub-minimal" (package-name (bootloader-package grub-minimal-bootloader)))
  (test-eq grub-efi-bootloader (lookup-bootloader-by-name 'grub-efi))
  (define entry (menu-entry (label "GNU") (linux "/vmlinuz") (initrd "/initrd")))
  (test-equal '(menu-entry (version 0) (label "GNU") (device #f)
                           (device-mount-point #f) (linux "/vmlinuz")
                           (linux-arguments ()) (initrd "/initrd"))
    (menu-entry->sexp entry))
  (test-equal "/vmlinuz"
    (menu-entry-linux (sexp->menu-entry (menu-entry->sexp entry)))))

;;; (gnu)

(test-group "gnu"
  ;; use-service-modules at the top of this file imported (gnu services ssh)
  (test-eq 'openssh (service-type-name openssh-service-type))
  ;; (gnu) re-exports the core modules
  (test-assert (procedure? operating-system-services))
  (test-assert (procedure? file-system-label))
  (test-assert (bootloader? grub-bootloader))
  (test-assert (procedure? user-account?))
  (test-assert (procedure? plain-file)))

(test-end "gnu-system")
