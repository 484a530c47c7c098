;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu services base): the services almost every system runs, and
;;; '%base-services', as GNU Guix 1.5 defines them.
;;;
;;; Service type names, record fields and defaults, extensions, and the
;;; shepherd services' names and requirements are Guix's: they decide the
;;; system graph.  The start/stop gexps are schemos' own code doing what
;;; Guix's do.  Not modelled: kmscon, pam-limits, greetd.

(define-module (gnu services base)
  #:use-module (schemos services-support)
  #:use-module (guix records)
  #:use-module (guix gexp)
  #:use-module (gnu services)
  #:use-module (gnu services admin)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services sysctl)
  #:use-module (gnu system pam)
  #:use-module (gnu system shadow)
  #:use-module (gnu system file-systems)
  #:use-module (gnu packages admin)
  #:use-module ((gnu packages linux)
                #:select (alsa-utils btrfs-progs crda eudev e2fsprogs f2fs-tools
                          fuse gpm kbd lvm2 rng-tools util-linux xfsprogs))
  #:use-module (gnu packages bash)
  #:use-module ((gnu packages base)
                #:select (coreutils glibc glibc-utf8-locales
                          glibc-utf8-locales/hurd tar))
  #:use-module ((gnu packages compression) #:select (gzip))
  #:use-module ((gnu packages fonts) #:select (font-gnu-unifont))
  #:use-module ((gnu packages hurd) #:select (hurd))
  #:use-module ((gnu packages package-management) #:select (guix))
  #:use-module (srfi srfi-1)
  #:re-export (user-processes-service-type)       ;backwards compatibility
  #:export (%default-substitute-urls

            fstab-service-type
            root-file-system-service
            root-file-system-service-type
            file-system-service-type
            file-system-utilities
            swap-service
            swap-service-type
            host-name-service-type
            %default-console-font
            console-font-service-type
            virtual-terminal-service-type

            host
            host?
            host-address
            host-canonical-name
            host-aliases
            hosts-service-type

            static-networking
            static-networking?
            static-networking-addresses
            static-networking-links
            static-networking-routes
            static-networking-provision
            static-networking-requirement
            static-networking-name-servers

            network-address
            network-address?
            network-address-device
            network-address-value
            network-address-ipv6?

            network-link
            network-link?
            network-link-name
            network-link-type
            network-link-mac-address
            network-link-arguments

            network-route
            network-route?
            network-route-destination
            network-route-source
            network-route-device
            network-route-ipv6?
            network-route-gateway

            static-networking-service-type
            %loopback-static-networking
            %qemu-static-networking

            udev-configuration
            udev-configuration?
            udev-configuration-udev
            udev-configuration-debug?
            udev-configuration-rules
            udev-configuration-hardware
            udev-service-type
            udev-rule
            udev-hardware
            file->udev-rule
            file->udev-hardware
            udev-rules-service
            udev-hardware-service

            login-configuration
            login-configuration?
            login-configuration-motd
            login-configuration-allow-empty-passwords?
            login-service-type

            agetty-configuration
            agetty-configuration?
            agetty-configuration-tty
            agetty-service-type

            mingetty-configuration
            mingetty-configuration?
            mingetty-configuration-mingetty
            mingetty-configuration-tty
            mingetty-configuration-auto-login
            mingetty-configuration-login-program
            mingetty-configuration-login-pause?
            mingetty-configuration-clear-on-logout?
            mingetty-configuration-delay
            mingetty-configuration-print-issue
            mingetty-configuration-print-hostname
            mingetty-configuration-nice
            mingetty-configuration-working-directory
            mingetty-configuration-root-directory
            mingetty-configuration-shepherd-requirement
            mingetty-service-type

            %nscd-default-caches
            nscd-configuration
            nscd-configuration?
            nscd-configuration-log-file
            nscd-configuration-caches
            nscd-configuration-name-services
            nscd-configuration-glibc
            nscd-cache
            nscd-cache?
            nscd-service-type

            syslog-configuration
            syslog-configuration?
            syslog-configuration-syslogd
            syslog-configuration-config-file
            syslog-configuration-extra-options
            syslog-service-type
            %default-syslog.conf

            %default-authorized-guix-keys
            guix-configuration
            guix-configuration?
            guix-configuration-guix
            guix-configuration-build-group
            guix-configuration-build-accounts
            guix-configuration-chroot?
            guix-configuration-authorize-key?
            guix-configuration-authorized-keys
            guix-configuration-use-substitutes?
            guix-configuration-substitute-urls
            guix-configuration-generate-substitute-key?
            guix-configuration-channels
            guix-configuration-chroot-directories
            guix-configuration-max-silent-time
            guix-configuration-timeout
            guix-configuration-log-compression
            guix-configuration-discover?
            guix-configuration-extra-options
            guix-configuration-log-file
            guix-http-proxy
            guix-tmpdir
            guix-configuration-privileged?
            guix-configuration-build-machines
            guix-configuration-environment
            guix-configuration-socket-directory-permissions
            guix-configuration-socket-directory-group
            guix-configuration-socket-directory-user

            guix-extension
            guix-extension?
            guix-extension-authorized-keys
            guix-extension-substitute-urls
            guix-extension-build-machines
            guix-extension-chroot-directories

            guix-service-type
            guix-publish-configuration
            guix-publish-configuration?
            guix-publish-configuration-guix
            guix-publish-configuration-port
            guix-publish-configuration-host
            guix-publish-configuration-compression
            guix-publish-configuration-nar-path
            guix-publish-configuration-cache
            guix-publish-configuration-ttl
            guix-publish-configuration-negative-ttl
            guix-publish-service-type

            gpm-configuration
            gpm-configuration?
            gpm-service-type

            urandom-seed-service-type

            rngd-configuration
            rngd-configuration?
            rngd-service-type

            %base-services))


;;;
;;; Helpers.
;;;

(define (optional-variable module name)
  ;; NAME from MODULE when the module and the name exist, else #f: used for
  ;; things only some configurations need (UUIDs, mapped devices, ...), so
  ;; that the others do not depend on them.
  (catch #t
    (lambda () (module-ref (resolve-interface module) name))
    (lambda _ #f)))

(define (instance-of? module predicate-name obj)
  (let ((pred (optional-variable module predicate-name)))
    (and pred (pred obj))))

;; Guix decides some things by the system a gexp is lowered for ('let-system'
;; and (guix utils)' 'target-hurd?'); schemos decides when the service is
;; folded, asking (guix utils) when it is there.
(define (hurd-target?)
  (let ((target-hurd? (optional-variable '(guix utils) 'target-hurd?)))
    (and target-hurd? (target-hurd?) #t)))

(define (store-prefix)
  (let ((prefix (optional-variable '(guix store) '%store-prefix)))
    (if prefix (prefix) "/gnu/store")))

(define %default-substitute-urls
  ;; The substitute servers guix-daemon uses by default (Guix's (guix store)
  ;; holds this list; schemos keeps it here).
  '("https://bordeaux.guix.gnu.org"
    "https://ci.guix.gnu.org"))


;;;
;;; File systems.
;;;

(define (file-system->fstab-entry file-system)
  "The /etc/fstab line of FILE-SYSTEM."
  (let ((device (file-system-device file-system)))
    (string-append (cond ((file-system-label? device)
                          (string-append "LABEL="
                                         (file-system-label->string device)))
                         ((instance-of? '(gnu system uuid) 'uuid? device)
                          (string-append
                           "UUID="
                           ((optional-variable '(gnu system uuid) 'uuid->string)
                            device)))
                         (else device))
                   "\t" (file-system-mount-point file-system)
                   "\t" (file-system-type file-system)
                   "\t" (or (file-system-options file-system) "defaults")
                   ;; Guix writes no fs_freq/fs_passno fields.
                   "\t")))

(define (file-systems->fstab file-systems)
  `(("fstab"
     ,(plain-file "fstab"
                  (string-append
                   "# This file was generated from your Guix configuration.  \
Any changes\n# will be lost upon reboot or reconfiguration.\n\n"
                   (string-join (map file-system->fstab-entry file-systems)
                                "\n")
                   "\n")))))

(define fstab-service-type
  ;; Extended by lists of file systems.
  (service-type (name 'fstab)
                (extensions
                 (list (service-extension etc-service-type
                                          file-systems->fstab)))
                (compose concatenate)
                (extend append)
                (description
                 "Populate the @file{/etc/fstab} based on the given file
system objects.")))

(define %root-file-system-shepherd-service
  (shepherd-service
   (documentation "Take care of the root file system.")
   (provision '(root-file-system))
   (start #~(const #t))
   (stop #~(lambda _
             ;; #f means "stopped": sync, close the console and remount the
             ;; root file system read-only, retrying while it is busy.
             (sync)
             (let ((null (%make-void-port "w")))
               (set-current-output-port null)
               (set-current-error-port null)
               (for-each close-fdes '(0 1 2))
               (let retry ((n 10))
                 (unless (false-if-exception
                          (begin
                            (mount #f "/" #f (logior MS_REMOUNT MS_RDONLY)
                                   #:update-mtab? #f)
                            #t))
                   (unless (zero? n)
                     ((@ (fibers) sleep) 1)
                     (retry (- n 1)))))
               #f)))
   (respawn? #f)))

(define root-file-system-service-type
  (shepherd-service-type 'root-file-system
                         (const %root-file-system-shepherd-service)
                         (description "Take care of syncing the root file
system and of remounting it read-only when the system shuts down.")))

(define (root-file-system-service)
  "The service that remounts the root file system read-only at shutdown; it
must be the root of the shepherd graph."
  (service root-file-system-service-type #f))

(define (file-system->shepherd-service-name file-system)
  (symbol-append 'file-system-
                 (string->symbol (file-system-mount-point file-system))))

(define (dependency->shepherd-service-name dependency)
  ;; A file system depends on other file systems or on mapped devices.
  (if (file-system? dependency)
      (file-system->shepherd-service-name dependency)
      (symbol-append 'device-mapping-
                     (string->symbol
                      (string-join ((optional-variable '(gnu system mapped-devices)
                                                       'mapped-device-targets)
                                    dependency)
                                   "-")))))

(define (file-system-shepherd-service file-system)
  "The shepherd service mounting FILE-SYSTEM, or #f if it is neither mounted
nor has its mount point created at boot."
  (let ((target  (file-system-mount-point file-system))
        (create? (file-system-create-mount-point? file-system))
        (mount?  (file-system-mount? file-system)))
    (and (or mount? create?)
         (shepherd-service
          (provision (list (file-system->shepherd-service-name file-system)))
          (requirement `(root-file-system
                         udev
                         ,@(map dependency->shepherd-service-name
                                (file-system-dependencies file-system))
                         ,@(file-system-shepherd-requirements file-system)))
          (documentation "Check, mount, and unmount the given file system.")
          (start #~(lambda args
                     #$(if create? #~(mkdir-p #$target) #t)
                     #$(if mount?
                           #~(mount-file-system
                              (spec->file-system
                               '#$((optional-variable '(gnu system file-systems)
                                                      'file-system->spec)
                                   file-system))
                              #:root "/")
                           #t)
                     #t))
          (stop #~(lambda args
                    ;; Nothing should be using TARGET any more; make sure PID
                    ;; 1 is not.
                    (chdir "/")
                    #$(if (file-system-mount-may-fail? file-system)
                          #~(false-if-exception (umount #$target))
                          #~(umount #$target))
                    #f))
          (modules `(((gnu build file-systems) #:select (mount-file-system))
                     (gnu system file-systems)
                     ,@%default-modules))))))

(define (file-system-shepherd-services file-systems)
  "The shepherd services of FILE-SYSTEMS, with the 'file-systems' target and
'user-file-systems', which unmounts what users mounted by hand."
  (let ((file-systems (filter (lambda (fs)
                                (or (file-system-mount? fs)
                                    (file-system-create-mount-point? fs)))
                              file-systems)))
    (define sink
      (shepherd-service
       (provision '(file-systems))
       ;; File systems with shepherd requirements are left out: many
       ;; services require 'file-systems', which could deadlock.
       (requirement (cons* 'root-file-system 'user-file-systems
                           (map file-system->shepherd-service-name
                                (filter (lambda (fs)
                                          (null? (file-system-shepherd-requirements
                                                  fs)))
                                        file-systems))))
       (documentation "Target for all the initially-mounted file systems")
       (start #~(const #t))
       (stop #~(const #f))))

    (define user-unmount
      (shepherd-service
       (documentation "Unmount manually-mounted file systems.")
       (provision '(user-file-systems))
       (start #~(const #t))
       (stop #~(lambda args
                 (let ((known (cons* "/" "/dev" "/proc" "/sys"
                                     '#$(map file-system-mount-point
                                             file-systems))))
                   (chdir "/")
                   (for-each (lambda (mount-point)
                               (format #t "unmounting '~a'...~%" mount-point)
                               (catch 'system-error
                                 (lambda () (umount mount-point))
                                 (lambda args
                                   (format #t "failed to unmount '~a': ~a~%"
                                           mount-point
                                           (strerror (system-error-errno args))))))
                             (remove (lambda (m) (member m known))
                                     (mount-points))))
                 #f))))

    (cons* sink user-unmount
           (filter-map file-system-shepherd-service file-systems))))

(define (file-system-fstab-entries file-systems)
  ;; /etc/fstab lists real file systems only: tools such as GIO show its
  ;; entries as volumes.
  (remove (lambda (fs)
            (or (member (file-system-type fs) %pseudo-file-system-types)
                (memq 'bind-mount (file-system-flags fs))))
          file-systems))

(define (file-system-type->utilities type)
  "The package with the tools for file systems of TYPE, or #f."
  (cond ((member type '("ext2" "ext3" "ext4")) e2fsprogs)
        ((string=? type "btrfs") btrfs-progs)
        ((member type '("fat" "vfat"))
         (optional-variable '(gnu packages disk) 'dosfstools))
        ((string=? type "f2fs") f2fs-tools)
        ((string=? type "xfs") xfsprogs)
        ((member type '("bcachefs" "exfat" "jfs" "zfs"))
         (optional-variable '(gnu packages file-systems)
                            (assoc-ref '(("bcachefs" . bcachefs-tools)
                                         ("exfat" . exfat-utils)
                                         ("jfs" . jfsutils)
                                         ("zfs" . zfs))
                                       type)))
        (else #f)))

(define (file-system-utilities file-systems)
  "The packages holding the utilities of FILE-SYSTEMS' types."
  (filter-map (lambda (fs) (file-system-type->utilities (file-system-type fs)))
              file-systems))

(define file-system-service-type
  ;; Extended by lists of file systems.
  (service-type (name 'file-systems)
                (extensions
                 (list (service-extension shepherd-root-service-type
                                          file-system-shepherd-services)
                       (service-extension fstab-service-type
                                          file-system-fstab-entries)
                       (service-extension profile-service-type
                                          file-system-utilities)
                       ;; 'user-processes' waits for the file systems.
                       (service-extension user-processes-service-type
                                          (const '(file-systems)))))
                (compose concatenate)
                (extend append)
                (description
                 "Provide Shepherd services to mount and unmount the given
file systems, as well as corresponding @file{/etc/fstab} entries.")))

(define (swap-space-name swap)
  ;; A <swap-space> or, deprecated, a device name, label or UUID.
  (let* ((swap-space? (optional-variable '(gnu system file-systems) 'swap-space?))
         (target (if (and swap-space? (swap-space? swap))
                     ((optional-variable '(gnu system file-systems)
                                         'swap-space-target)
                      swap)
                     swap)))
    (symbol-append 'swap-
                   (string->symbol
                    (cond ((file-system-label? target)
                           (file-system-label->string target))
                          ((instance-of? '(gnu system uuid) 'uuid? target)
                           ((optional-variable '(gnu system uuid) 'uuid->string)
                            target))
                          (else target))))))

(define swap-service-type
  (shepherd-service-type
   'swap
   (lambda (swap)
     (shepherd-service
      (provision (list (swap-space-name swap)))
      (requirement '(udev))
      (documentation "Enable the given swap space.")
      (modules `((gnu build file-systems) ,@%default-modules))
      (start #~(lambda ()
                 (let ((device #$(if (string? swap) swap #f)))
                   (and device (begin (swapon device) #t)))))
      (stop #~(lambda _
                (let ((device #$(if (string? swap) swap #f)))
                  (when device (swapoff device))
                  #f)))
      (respawn? #f)))
   (description "Turn on the virtual memory swap area.")))

(define (swap-service swap)
  "A service using SWAP as swap space."
  (service swap-service-type swap))


;;;
;;; Entropy.
;;;

(define %random-seed-file
  "/var/lib/random-seed")

(define (urandom-seed-shepherd-service _)
  (list (shepherd-service
         (documentation "Preserve entropy across reboots for /dev/urandom.")
         (provision '(urandom-seed))
         ;; udev makes /dev/hwrng available.
         (requirement '(file-systems udev))
         (start #~(lambda _
                    ;; Feed the saved seed and the hardware RNG to the kernel,
                    ;; crediting the entropy, then save a fresh seed at once
                    ;; in case the system does not shut down cleanly.
                    (define (feed! bv)
                      (call-with-output-file "/dev/urandom"
                        (lambda (urandom)
                          (put-bytevector urandom bv)
                          (add-to-entropy-count urandom
                                                (* 8 (bytevector-length bv))))))
                    (define (save-seed!)
                      (let ((old (umask #o077))
                            (buf (make-bytevector 512)))
                        (call-with-input-file "/dev/urandom"
                          (lambda (urandom)
                            (get-bytevector-n! urandom buf 0 512)))
                        (mkdir-p (dirname #$%random-seed-file))
                        (call-with-output-file #$%random-seed-file
                          (lambda (seed) (put-bytevector seed buf)))
                        (umask old)))
                    (when (file-exists? #$%random-seed-file)
                      (feed! (call-with-input-file #$%random-seed-file
                               get-bytevector-all)))
                    (let ((hw (false-if-exception
                               (call-with-input-file "/dev/hwrng"
                                 (lambda (port) (get-bytevector-n port 512))))))
                      (when (bytevector? hw) (feed! hw)))
                    (save-seed!)
                    #t))
         (stop #~(lambda _
                   (let ((old (umask #o077))
                         (buf (make-bytevector 512)))
                     (call-with-input-file "/dev/urandom"
                       (lambda (urandom)
                         (get-bytevector-n! urandom buf 0 512)))
                     (mkdir-p (dirname #$%random-seed-file))
                     (call-with-output-file #$%random-seed-file
                       (lambda (seed) (put-bytevector seed buf)))
                     (umask old))
                   #f))
         (modules `((rnrs bytevectors)
                    (rnrs io ports)
                    ,@%default-modules)))))

(define urandom-seed-service-type
  (service-type (name 'urandom-seed)
                (extensions
                 (list (service-extension shepherd-root-service-type
                                          urandom-seed-shepherd-service)
                       ;; User processes start once the PRNG is seeded.
                       (service-extension user-processes-service-type
                                          (const '(urandom-seed)))))
                (default-value #f)
                (description
                 "Seed the @file{/dev/urandom} pseudo-random number
generator (RNG) with the value recorded when the system was last shut
down.")))

(define-record-type* <rngd-configuration>
  rngd-configuration make-rngd-configuration
  rngd-configuration?
  (rng-tools rngd-configuration-rng-tools         ;file-like
             (default rng-tools))
  (device    rngd-configuration-device            ;string
             (default "/dev/hwrng")))

(define rngd-service-type
  (shepherd-service-type
   'rngd
   (lambda (config)
     (let ((command (list (file-append (rngd-configuration-rng-tools config)
                                       "/sbin/rngd")
                          "-f" "-r" (rngd-configuration-device config))))
       (shepherd-service
        (documentation "Add TRNG to entropy pool.")
        (requirement '(user-processes udev))
        (provision '(trng))
        (start #~(make-forkexec-constructor '#$command))
        (stop #~(make-kill-destructor)))))
   (rngd-configuration)
   (description "Run the @command{rngd} random number generation daemon to
supply entropy to the kernel's pool.")))


;;;
;;; /etc/hosts.
;;;

(define (assert-valid-host-name name)
  ;; Whitespace is certainly wrong; Guix checks no more than that either.
  (if (and (string? name)
           (not (string-any char-whitespace? name)))
      name
      (raise (make-service-error
              'error #f
              (format #f "host name '~a' contains invalid characters" name)
              '()))))

(define-record-type* <host> %host make-host
  host?
  (address        host-address)                   ;string
  (canonical-name host-canonical-name             ;string
                  (sanitize assert-valid-host-name))
  (aliases        host-aliases                    ;list of strings
                  (default '())
                  (sanitize (lambda (names)
                              (map assert-valid-host-name names)))))

(define* (host address canonical-name #:optional (aliases '()))
  "Return a new record for the host at ADDRESS with the given CANONICAL-NAME
and possibly ALIASES."
  (%host (address address)
         (canonical-name canonical-name)
         (aliases aliases)))

(define (hosts->etc hosts)
  `(("hosts"
     ,(plain-file "hosts"
                  (string-concatenate
                   (map (lambda (h)
                          (string-append
                           (string-join (cons* (host-address h)
                                               (host-canonical-name h)
                                               (host-aliases h))
                                        "\t")
                           "\n"))
                        hosts))))))

(define hosts-service-type
  ;; Extended by lists of <host>.
  (service-type
   (name 'etc-hosts)
   (extensions (list (service-extension etc-service-type hosts->etc)))
   (compose concatenate)
   (extend append)
   (description "Populate the @file{/etc/hosts} file.")))


;;;
;;; Host name, consoles and terminals.
;;;

(define host-name-service-type
  (shepherd-service-type
   'host-name
   (lambda (name)
     (shepherd-service
      (documentation "Initialize the machine's host name.")
      (provision '(host-name))
      (start #~(lambda _
                 (sethostname #$name)
                 #$name))
      (one-shot? #t)))
   (description "Initialize the machine's host name.")))

(define virtual-terminal-service-type
  ;; Puts the Linux virtual terminals in UTF-8 mode before any 'term-'
  ;; service creates one.
  (shepherd-service-type
   'virtual-terminal
   (lambda (utf8?)
     (let ((knob "/sys/module/vt/parameters/default_utf8"))
       (shepherd-service
        (documentation "Set virtual terminals in UTF-8 module.")
        (provision '(virtual-terminal))
        (requirement '(root-file-system))
        (start #~(lambda _
                   ;; /sys is read-only in containers: write only if needed.
                   (unless (= 1 (call-with-input-file #$knob read))
                     (call-with-output-file #$knob
                       (lambda (port) (display 1 port))))
                   #t))
        (stop #~(const #f)))))
   #t                                             ;UTF-8 by default
   (description "Ensure the Linux virtual terminals run in UTF-8 mode.")))

(define %default-console-font
  ;; The font's "psf" output is the same whether built natively or not,
  ;; hence a native input.
  #~(string-append #+font-gnu-unifont:psf
                   "/share/consolefonts/Unifont-APL8x16.psf.gz"))

(define (console-font-shepherd-services tty+font)
  "One shepherd service per (TTY . FONT) pair, loading FONT on TTY."
  (map (lambda (pair)
         (let* ((tty (car pair))
                (font (cdr pair))
                (device (string-append "/dev/" tty)))
           (shepherd-service
            (documentation "Load a Unicode console font.")
            (provision (list (symbol-append 'console-font-
                                            (string->symbol tty))))
            ;; The getty must run on TTY first, or the font is ignored.
            (requirement (list (symbol-append 'term- (string->symbol tty))))
            (start #~(lambda _
                       ;; Wait a little for the getty to set the tty up.
                       (let loop ((i 10))
                         (unless (or (zero? i)
                                     (call-with-input-file #$device
                                       (lambda (port)
                                         (false-if-exception (ttyname port)))))
                           (usleep 500)
                           (loop (- i 1))))
                       ;; setfont exits with 71 when the ioctl fails: not an
                       ;; error worth failing the service for.
                       (memv (status:exit-val
                              (system* #$(file-append kbd "/bin/setfont")
                                       "-C" #$device #$font))
                             '(0 71))))
            (stop #~(const #f))
            (respawn? #f))))
       tty+font))

(define console-font-service-type
  ;; Values are lists of (TTY . FONT) pairs.
  (service-type (name 'console-fonts)
                (extensions
                 (list (service-extension shepherd-root-service-type
                                          console-font-shepherd-services)))
                (compose concatenate)
                (extend append)
                (description
                 "Install the given fonts on the specified ttys (fonts are per
virtual console on GNU/Linux).  The value of this service is a list of
tty/font pairs.  The font can be the name of a font provided by the @code{kbd}
package or any valid argument to @command{setfont}.")))

(define %default-motd
  (plain-file "motd" "This is the GNU operating system, welcome!\n\n"))

(define-record-type* <login-configuration>
  login-configuration make-login-configuration
  login-configuration?
  (motd                   login-configuration-motd          ;file-like
                          (default %default-motd))
  ;; Empty passwords are allowed so that first-time users can log in as
  ;; 'root', whose account has just been created.
  (allow-empty-passwords? login-configuration-allow-empty-passwords?
                          (default #t)))

(define (login-pam-service config)
  (list (unix-pam-service "login"
                          #:login-uid? #t
                          #:allow-empty-passwords?
                          (login-configuration-allow-empty-passwords? config)
                          #:motd (login-configuration-motd config))))

(define login-service-type
  (service-type (name 'login)
                (extensions (list (service-extension pam-root-service-type
                                                     login-pam-service)))
                (default-value (login-configuration))
                (description
                 "Provide a console log-in service as specified by its
configuration value, a @code{login-configuration} object.")))

(define-record-type* <agetty-configuration>
  agetty-configuration make-agetty-configuration
  agetty-configuration?
  (agetty           agetty-configuration-agetty   ;file-like
                    (default util-linux))
  (tty              agetty-configuration-tty)     ;string | #f (serial console)
  (term             agetty-term                   ;string | #f
                    (default #f))
  (baud-rate        agetty-baud-rate              ;string | #f
                    (default #f))
  (auto-login       agetty-auto-login             ;string | #f
                    (default #f))
  (login-program    agetty-login-program          ;file-like
                    (default (file-append shadow "/bin/login")))
  (login-pause?     agetty-login-pause?           ;Boolean
                    (default #f))
  (eight-bits?      agetty-eight-bits?            ;Boolean
                    (default #f))
  (no-reset?        agetty-no-reset?              ;Boolean
                    (default #f))
  (remote?          agetty-remote?                ;Boolean
                    (default #f))
  (flow-control?    agetty-flow-control?          ;Boolean
                    (default #f))
  (host             agetty-host                   ;string | #f
                    (default #f))
  (no-issue?        agetty-no-issue?              ;Boolean
                    (default #f))
  (init-string      agetty-init-string            ;string | #f
                    (default #f))
  (no-clear?        agetty-no-clear?              ;Boolean
                    (default #f))
  (local-line       agetty-local-line             ;'always | 'never | 'auto | #f
                    (default #f))
  (extract-baud?    agetty-extract-baud?          ;Boolean
                    (default #f))
  (skip-login?      agetty-skip-login?            ;Boolean
                    (default #f))
  (no-newline?      agetty-no-newline?            ;Boolean
                    (default #f))
  (login-options    agetty-login-options          ;string | #f
                    (default #f))
  (chroot           agetty-chroot                 ;string | #f
                    (default #f))
  (hangup?          agetty-hangup?                ;Boolean
                    (default #f))
  (keep-baud?       agetty-keep-baud?             ;Boolean
                    (default #f))
  (timeout          agetty-timeout                ;integer | #f
                    (default #f))
  (detect-case?     agetty-detect-case?           ;Boolean
                    (default #f))
  (wait-cr?         agetty-wait-cr?               ;Boolean
                    (default #f))
  (no-hints?        agetty-no-hints?              ;Boolean
                    (default #f))
  (no-hostname?     agetty-no-hostname?           ;Boolean
                    (default #f))
  (long-hostname?   agetty-long-hostname?         ;Boolean
                    (default #f))
  (erase-characters agetty-erase-characters       ;string | #f
                    (default #f))
  (kill-characters  agetty-kill-characters        ;string | #f
                    (default #f))
  (chdir            agetty-chdir                  ;string | #f
                    (default #f))
  (delay            agetty-delay                  ;integer | #f
                    (default #f))
  (nice             agetty-nice                   ;integer | #f
                    (default #f))
  ;; Any other command-line arguments.
  (extra-options    agetty-extra-options          ;list of strings
                    (default '()))
  (shepherd-requirement agetty-shepherd-requirement ;list of symbols
                        (default '())))

(define (agetty-arguments config)
  "The command-line options of agetty for CONFIG, before the tty."
  (define (flag on? option) (if on? (list option) '()))
  (define (option value name . convert)
    (if value
        (list name (if (pair? convert) ((car convert) value) value))
        '()))
  (append (agetty-extra-options config)
          (flag (agetty-eight-bits? config) "--8bits")
          (flag (agetty-no-reset? config) "--noreset")
          (flag (agetty-remote? config) "--remote")
          (flag (agetty-flow-control? config) "--flow-control")
          (option (agetty-host config) "--host")
          (flag (agetty-no-issue? config) "--noissue")
          (option (agetty-init-string config) "--init-string")
          (flag (agetty-no-clear? config) "--noclear")
          (let ((line (agetty-local-line config)))
            (if line
                (list (string-append "--local-line=" (symbol->string line)))
                '()))
          ;; Without a tty, keep the serial console's baud rate.
          (flag (not (agetty-configuration-tty config)) "--keep-baud")
          (flag (agetty-extract-baud? config) "--extract-baud")
          (flag (agetty-skip-login? config) "--skip-login")
          (flag (agetty-no-newline? config) "--nonewline")
          (option (agetty-login-options config) "--login-options")
          (option (agetty-chroot config) "--chroot")
          (flag (agetty-hangup? config) "--hangup")
          (flag (agetty-keep-baud? config) "--keep-baud")
          (option (agetty-timeout config) "--timeout" number->string)
          (flag (agetty-detect-case? config) "--detect-case")
          (flag (agetty-wait-cr? config) "--wait-cr")
          (flag (agetty-no-hints? config) "--nohints")
          (flag (agetty-no-hostname? config) "--nohostname")
          (flag (agetty-long-hostname? config) "--long-hostname")
          (option (agetty-erase-characters config) "--erase-chars")
          (option (agetty-kill-characters config) "--kill-chars")
          (option (agetty-chdir config) "--chdir")
          (option (agetty-delay config) "--delay" number->string)
          (option (agetty-nice config) "--nice" number->string)
          (option (agetty-auto-login config) "--autologin")
          (option (agetty-login-program config) "--login-program")
          (flag (agetty-login-pause? config) "--login-pause")))

(define (agetty-shepherd-service config)
  (let* ((tty (agetty-configuration-tty config))
         (name (symbol-append 'term- (string->symbol (or tty "console")))))
    (list
     (shepherd-service
      (documentation "Run agetty on a tty.")
      (provision (list name))
      ;; The prompt shows the host name; udev keeps kernel messages from
      ;; garbling the prompt.
      (requirement (cons* 'user-processes 'host-name 'udev
                          (agetty-shepherd-requirement config)))
      (modules '((ice-9 match) (gnu build linux-boot)))
      (start
       (with-imported-modules '((gnu build linux-boot))
         #~(lambda args
             ;; Without a tty, use the serial console named on the kernel
             ;; command line, if any; with none, do nothing.
             (let ((tty (or #$tty
                            (let ((specs (append
                                          (find-long-options
                                           "agetty.tty" (linux-command-line))
                                          (find-long-options
                                           "console" (linux-command-line)))))
                              (and (pair? specs)
                                   (car (string-split (car specs) #\,)))))))
               (if tty
                   (apply (make-forkexec-constructor
                           (append (list #$(file-append
                                            (agetty-configuration-agetty config)
                                            "/sbin/agetty"))
                                   (list #$@(agetty-arguments config))
                                   (list tty)
                                   (list #$@(filter identity
                                                    (list (agetty-baud-rate config)
                                                          (agetty-term config))))))
                          args)
                   (begin
                     (format #t "~a: no serial port console requested; \
doing nothing~%" '#$name)
                     'idle))))))
      (stop #~(let ((stop (make-kill-destructor)))
                (lambda (running)
                  (if (eq? 'idle running)
                      #f
                      (stop running)))))))))

(define agetty-service-type
  (service-type (name 'agetty)
                (extensions (list (service-extension shepherd-root-service-type
                                                     agetty-shepherd-service)))
                (description
                 "Provide console login using the @command{agetty}
program.")))

(define-record-type* <mingetty-configuration>
  mingetty-configuration make-mingetty-configuration
  mingetty-configuration?
  (mingetty             mingetty-configuration-mingetty ;file-like
                        (default mingetty))
  (tty                  mingetty-configuration-tty)       ;string
  (auto-login           mingetty-configuration-auto-login ;string | #f
                        (default #f))
  (login-program        mingetty-configuration-login-program ;gexp | #f
                        (default #f))
  (login-pause?         mingetty-configuration-login-pause? ;Boolean
                        (default #f))
  (clear-on-logout?     mingetty-configuration-clear-on-logout? ;Boolean
                        (default #t))
  (delay                mingetty-configuration-delay      ;integer | #f
                        (default #f))
  (print-issue          mingetty-configuration-print-issue ;#t | 'no-nl | #f
                        (default #t))
  (print-hostname       mingetty-configuration-print-hostname ;#t | 'long | #f
                        (default #t))
  (nice                 mingetty-configuration-nice       ;integer | #f
                        (default #f))
  (working-directory    mingetty-configuration-working-directory ;string | #f
                        (default #f))
  (root-directory       mingetty-configuration-root-directory ;string | #f
                        (default #f))
  ;; The prompt shows the host name; udev keeps kernel messages from
  ;; garbling it; the terminal must be in UTF-8 mode first.
  (shepherd-requirement mingetty-configuration-shepherd-requirement
                        (default '(user-processes host-name udev
                                                  virtual-terminal))))

(define (mingetty-shepherd-service config)
  (define (flag on? option) (if on? (list option) '()))
  (let* ((tty (mingetty-configuration-tty config))
         (issue (mingetty-configuration-print-issue config))
         (hostname (mingetty-configuration-print-hostname config))
         (arguments
          (append
           ;; No vhangup: it makes setfont's ioctls fail later.
           (list "--nohangup" tty)
           (flag (not (mingetty-configuration-clear-on-logout? config))
                 "--noclear")
           (let ((user (mingetty-configuration-auto-login config)))
             (if user (list "--autologin" user) '()))
           (let ((program (mingetty-configuration-login-program config)))
             (if program (list "--loginprog" program) '()))
           (flag (mingetty-configuration-login-pause? config) "--loginpause")
           (let ((delay (mingetty-configuration-delay config)))
             (if delay (list "--delay" (number->string delay)) '()))
           (cond ((eq? issue 'no-nl) '("--nonewline"))
                 ((not issue) '("--noissue"))
                 (else '()))
           (cond ((eq? hostname 'long) '("--long-hostname"))
                 ((not hostname) '("--nohostname"))
                 (else '()))
           (let ((nice (mingetty-configuration-nice config)))
             (if nice (list "--nice" (number->string nice)) '()))
           (let ((dir (mingetty-configuration-working-directory config)))
             (if dir (list "--chdir" dir) '()))
           (let ((dir (mingetty-configuration-root-directory config)))
             (if dir (list "--chroot" dir) '())))))
    (list
     (shepherd-service
      (documentation "Run mingetty on an tty.")
      (provision (list (symbol-append 'term- (string->symbol tty))))
      (requirement (mingetty-configuration-shepherd-requirement config))
      (start #~(make-forkexec-constructor
                (list #$(file-append (mingetty-configuration-mingetty config)
                                     "/sbin/mingetty")
                      #$@arguments)))
      (stop #~(make-kill-destructor))))))

(define mingetty-service-type
  (service-type (name 'mingetty)
                (extensions (list (service-extension shepherd-root-service-type
                                                     mingetty-shepherd-service)))
                (description
                 "Provide console login using the @command{mingetty}
program.")))


;;;
;;; Name service cache daemon.
;;;

(define-record-type* <nscd-cache> nscd-cache make-nscd-cache
  nscd-cache?
  (database              nscd-cache-database)              ;symbol
  (positive-time-to-live nscd-cache-positive-time-to-live) ;seconds
  (negative-time-to-live nscd-cache-negative-time-to-live  ;seconds
                         (default 20))
  ;; The "default module of hash table".
  (suggested-size        nscd-cache-suggested-size         ;integer
                         (default 211))
  (check-files?          nscd-cache-check-files?           ;Boolean
                         (default #t))
  (persistent?           nscd-cache-persistent?            ;Boolean
                         (default #t))
  (shared?               nscd-cache-shared?                ;Boolean
                         (default #t))
  (max-database-size     nscd-cache-max-database-size      ;bytes: 32 MiB
                         (default (* 32 (expt 2 20))))
  (auto-propagate?       nscd-cache-auto-propagate?        ;Boolean
                         (default #t)))

(define %nscd-default-caches
  ;; An empty nscd.conf disables every cache, so these are enabled.
  (list (nscd-cache (database 'hosts)
                    ;; Host names: cache aggressively, for privacy and for
                    ;; resilience.
                    (positive-time-to-live (* 3600 12))
                    (negative-time-to-live 20)
                    (persistent? #t))
        (nscd-cache (database 'services)
                    ;; Services hardly ever change.
                    (positive-time-to-live (* 3600 24))
                    (negative-time-to-live 3600)
                    (check-files? #t)
                    (persistent? #t))
        ;; The user databases are cached briefly, mostly so that processes
        ;; need not dlopen NSS plugins such as LDAP themselves.
        (nscd-cache (database 'passwd)
                    (positive-time-to-live 600)
                    (negative-time-to-live 20)
                    (check-files? #t)
                    (persistent? #f))
        (nscd-cache (database 'group)
                    (positive-time-to-live 600)
                    (negative-time-to-live 20)
                    (check-files? #t)
                    (persistent? #f))))

(define-record-type* <nscd-configuration> nscd-configuration
  make-nscd-configuration
  nscd-configuration?
  (log-file      nscd-configuration-log-file      ;string | #f
                 (default #f))
  (debug-level   nscd-debug-level                 ;integer
                 (default 0))
  (caches        nscd-configuration-caches        ;list of <nscd-cache>
                 (default %nscd-default-caches))
  (name-services nscd-configuration-name-services ;list of file-like
                 (default '()))
  ;; Guix picks the C library of the target system (a cross libc when
  ;; cross-compiling); schemos names the native one.
  (glibc         nscd-configuration-glibc         ;file-like
                 (default glibc)))

(define (nscd.conf-file config)
  "The nscd.conf file for CONFIG."
  (define (yes/no b) (if b "yes\n" "no\n"))
  (define (cache->text cache)
    (let ((db (symbol->string (nscd-cache-database cache))))
      (string-append
       "\nenable-cache\t" db "\tyes\n"
       "positive-time-to-live\t" db "\t"
       (number->string (nscd-cache-positive-time-to-live cache)) "\n"
       "negative-time-to-live\t" db "\t"
       (number->string (nscd-cache-negative-time-to-live cache)) "\n"
       "suggested-size\t" db "\t"
       (number->string (nscd-cache-suggested-size cache)) "\n"
       "check-files\t" db "\t" (yes/no (nscd-cache-check-files? cache))
       "persistent\t" db "\t" (yes/no (nscd-cache-persistent? cache))
       "shared\t" db "\t" (yes/no (nscd-cache-shared? cache))
       "max-db-size\t" db "\t"
       (number->string (nscd-cache-max-database-size cache)) "\n"
       "auto-propagate\t" db "\t" (yes/no (nscd-cache-auto-propagate? cache)))))
  (let ((log-file (nscd-configuration-log-file config))
        (level (nscd-debug-level config)))
    (plain-file "nscd.conf"
                (string-append
                 "# Configuration of libc's name service cache daemon (nscd).\n\n"
                 (if log-file (string-append "logfile\t" log-file) "")
                 "\n"
                 (if level (string-append "debug-level\t" (number->string level))
                     "")
                 "\n"
                 (string-concatenate
                  (map cache->text (nscd-configuration-caches config)))))))

(define (nscd-action nscd config name documentation option)
  ;; Actions run nscd with the service's own binary and configuration.
  (shepherd-action
   (name name)
   (documentation documentation)
   (procedure #~(lambda (_ . args)
                  (let ((pipe (apply open-pipe* OPEN_READ #$nscd
                                     "-f" #$config #$option args)))
                    (let loop ()
                      (let ((line (read-line pipe 'concat)))
                        (if (eof-object? line)
                            (false-if-exception (zero? (close-pipe pipe)))
                            (begin (display line) (loop))))))))))

(define (nscd-shepherd-service config)
  (let ((nscd          (file-append (nscd-configuration-glibc config)
                                    "/sbin/nscd"))
        (nscd.conf     (nscd.conf-file config))
        (name-services (nscd-configuration-name-services config)))
    (list (shepherd-service
           (documentation "Run libc's name service cache daemon (nscd).")
           (provision '(nscd))
           ;; nscd logs with syslog(3), which writes to the console when no
           ;; syslogd listens.
           (requirement '(user-processes syslogd))
           (start #~(make-forkexec-constructor
                     (list #$nscd "-f" #$nscd.conf "--foreground")
                     #:pid-file "/var/run/nscd/nscd.pid"
                     #:environment-variables
                     (list (string-append
                            "LD_LIBRARY_PATH="
                            (string-join (map (lambda (dir)
                                                (string-append dir "/lib"))
                                              (list #$@name-services))
                                         ":")))))
           (stop #~(make-kill-destructor))
           (modules `((ice-9 popen)
                      (ice-9 rdelim)
                      (ice-9 match)
                      ,@%default-modules))
           (actions
            (list (shepherd-configuration-action nscd.conf)
                  (nscd-action nscd nscd.conf 'statistics
                               "Display statistics about nscd usage."
                               "--statistics")
                  (nscd-action nscd nscd.conf 'invalidate
                               "Invalidate the given cache--e.g., 'hosts' for host name lookups."
                               "--invalidate")))))))

(define nscd-activation
  #~(begin
      (use-modules (guix build utils))
      (mkdir-p "/var/run/nscd")
      (mkdir-p "/var/db/nscd")                    ;persistent caches
      ;; nscd watches /etc/resolv.conf only if it exists when it starts; it
      ;; may be a dangling symlink, hence lstat.
      (unless (false-if-exception (lstat "/etc/resolv.conf"))
        (call-with-output-file "/etc/resolv.conf"
          (lambda (port)
            (display "# This is a placeholder.\n" port))))))

(define nscd-service-type
  ;; Extended by lists of name service packages, such as nss-mdns.
  (service-type (name 'nscd)
                (extensions
                 (list (service-extension activation-service-type
                                          (const nscd-activation))
                       (service-extension shepherd-root-service-type
                                          nscd-shepherd-service)))
                (compose concatenate)
                (extend (lambda (config name-services)
                          (nscd-configuration
                           (inherit config)
                           (name-services
                            (append (nscd-configuration-name-services config)
                                    name-services)))))
                (default-value (nscd-configuration))
                (description
                 "Runs libc's @dfn{name service cache daemon} (nscd) with the
given configuration---an @code{<nscd-configuration>} object.  @xref{Name
Service Switch}, for an example.")))


;;;
;;; syslogd.
;;;

(define %default-syslog.conf
  ;; After the GNU Inetutils manual's example.
  (plain-file "syslog.conf" "\
# See info '(inetutils) syslogd invocation' for the documentation
# of the syslogd configuration syntax.

# Log all error messages, authentication messages of
# level notice or higher and anything of level err or
# higher to the console.
# Don't log private authentication messages!
*.alert;auth.notice;authpriv.none      -/dev/console

# Log anything (except mail) of level info or higher.
# Don't log private authentication messages!
*.info;mail.none;authpriv.none         -/var/log/messages

# Log \"debug\"-level entries and nothing else.
*.=debug                               -/var/log/debug

# Same, in a different place.
*.info;mail.none;authpriv.none         -/dev/tty12

# The authpriv file has restricted access.
# 'fsync' the file after each line (hence the lack of a leading dash).
# Also include unprivileged auth logs of info or higher level
# to conveniently gather the authentication data at the same place.
authpriv.*;auth.info                    /var/log/secure

# Log all the mail messages in one place.
mail.*                                 -/var/log/maillog
"))

(define-record-type* <syslog-configuration>
  syslog-configuration make-syslog-configuration
  syslog-configuration?
  (syslogd       syslog-configuration-syslogd     ;file-like
                 (default (file-append inetutils "/libexec/syslogd")))
  (config-file   syslog-configuration-config-file ;file-like
                 (default %default-syslog.conf))
  (extra-options syslog-configuration-extra-options ;list of strings
                 (default '())))

;; The configuration file is installed as /etc/syslog.conf, a fixed name,
;; so that the 'reload' action rereads the current one.
(define syslog.conf "/etc/syslog.conf")

(define (syslog-etc config)
  `((,(basename syslog.conf) ,(syslog-configuration-config-file config))))

(define (syslog-shepherd-service config)
  (shepherd-service
   (documentation "Run the syslog daemon (syslogd).")
   (provision '(syslogd))
   (requirement '(user-processes))
   (actions
    (list (shepherd-configuration-action syslog.conf)
          (shepherd-action
           (name 'reload)
           (documentation "Reload the configuration file from disk.")
           (procedure
            #~(lambda (pid)
                (if pid
                    (begin
                      (kill pid SIGHUP)
                      (display "Service syslog has been asked to reload its \
settings file."))
                    (display "Service syslog is not running.")))))))
   (start #~(make-forkexec-constructor
             (list #$(syslog-configuration-syslogd config)
                   "-f" #$syslog.conf
                   #$@(syslog-configuration-extra-options config))
             #:file-creation-mask #o137
             #:pid-file "/var/run/syslog.pid"))
   (stop #~(make-kill-destructor))))

(define %default-syslog-files
  ;; The files syslogd writes with the default configuration, for rotation.
  '("/var/log/messages" "/var/log/secure" "/var/log/debug"
    "/var/log/maillog"))

(define syslog-service-type
  (service-type
   (name 'syslog)
   (default-value (syslog-configuration))
   (extensions (list (service-extension shepherd-root-service-type
                                        (lambda (config)
                                          (list (syslog-shepherd-service config))))
                     (service-extension log-rotation-service-type
                                        (const %default-syslog-files))
                     (service-extension etc-service-type syslog-etc)))
   (description "Run the syslog daemon, @command{syslogd}, which is
responsible for logging system messages.")))


;;;
;;; The Guix build daemon.
;;;

(define* (guix-build-accounts count #:key (group "guixbuild"))
  "COUNT build user accounts, guixbuilder01 and on, members of GROUP."
  (map (lambda (n)
         (user-account
          (name (format #f "guixbuilder~2,'0d" n))
          (system? #t)
          (group group)
          ;; guix-daemon wants GROUP among the supplementary groups too.
          (supplementary-groups (list group "kvm"))
          (comment (format #f "Guix Build User ~2d" n))
          (home-directory "/var/empty")
          (shell (file-append shadow "/sbin/nologin"))))
       (iota count 1)))

(define %default-authorized-guix-keys
  ;; The keys of the project's build farms.
  (list (file-append guix "/share/guix/berlin.guix.gnu.org.pub")
        (file-append guix "/share/guix/bordeaux.guix.gnu.org.pub")))

(define-record-type* <guix-configuration>
  guix-configuration make-guix-configuration
  guix-configuration?
  (guix             guix-configuration-guix       ;file-like
                    (default guix))
  (build-group      guix-configuration-build-group ;string
                    (default "guixbuild"))
  (build-accounts   guix-configuration-build-accounts ;integer
                    (default 10))
  ;; 'default: chroot builds when the daemon is privileged.
  (chroot?          guix-configuration-chroot?    ;Boolean | 'default
                    (default 'default))
  (authorize-key?   guix-configuration-authorize-key? ;Boolean
                    (default #t))
  (authorized-keys  guix-configuration-authorized-keys ;list of file-like
                    (default %default-authorized-guix-keys))
  (use-substitutes? guix-configuration-use-substitutes? ;Boolean
                    (default #t))
  (substitute-urls  guix-configuration-substitute-urls ;list of strings
                    (default %default-substitute-urls))
  (generate-substitute-key? guix-configuration-generate-substitute-key?
                            (default #t))         ;Boolean
  (channels         guix-configuration-channels   ;list of channels | #f
                    (default #f))
  (chroot-directories guix-configuration-chroot-directories ;list
                      (default '()))
  (max-silent-time  guix-configuration-max-silent-time ;seconds
                    (default 3600))
  (timeout          guix-configuration-timeout    ;seconds: a day
                    (default (* 3600 24)))
  (log-compression  guix-configuration-log-compression ;symbol
                    (default 'gzip))
  (discover?        guix-configuration-discover?  ;Boolean
                    (default #f))
  (extra-options    guix-configuration-extra-options ;list of strings
                    (default '()))
  (log-file         guix-configuration-log-file   ;string
                    (default "/var/log/guix-daemon.log"))
  (http-proxy       guix-http-proxy               ;string | #f
                    (default #f))
  (tmpdir           guix-tmpdir                   ;string | #f
                    (default #f))
  ;; #f runs the daemon as the unprivileged 'guix-daemon' user.
  (privileged?      guix-configuration-privileged? ;Boolean
                    (default #t))
  (build-machines   guix-configuration-build-machines ;list of gexps
                    (default '()))
  (environment      guix-configuration-environment ;list of strings
                    (default '()))
  (socket-directory-permissions
   guix-configuration-socket-directory-permissions
   (default #o755))
  (socket-directory-group guix-configuration-socket-directory-group
                          (default #f))
  (socket-directory-user guix-configuration-socket-directory-user
                         (default #f)))

(define (guix-chroot? config)
  (let ((chroot? (guix-configuration-chroot? config)))
    (if (eq? chroot? 'default)
        (guix-configuration-privileged? config)
        chroot?)))

(define (guix-daemon-command config)
  "The guix-daemon command line for CONFIG, as a list of strings and
file-likes."
  (let ((privileged? (guix-configuration-privileged? config)))
    (append
     (list (file-append (guix-configuration-guix config) "/bin/guix-daemon"))
     (if privileged?
         (list "--build-users-group" (guix-configuration-build-group config))
         '())
     (list "--max-silent-time"
           (number->string (guix-configuration-max-silent-time config))
           "--timeout" (number->string (guix-configuration-timeout config))
           "--log-compression"
           (symbol->string (guix-configuration-log-compression config)))
     (if (guix-configuration-use-substitutes? config) '() '("--no-substitutes"))
     (list "--substitute-urls"
           (string-join (guix-configuration-substitute-urls config)))
     (guix-configuration-extra-options config)
     (if (guix-chroot? config) '() '("--disable-chroot")))))

(define (guix-shepherd-services config)
  "The 'guix-ownership' and 'guix-daemon' shepherd services of CONFIG."
  (let ((privileged? (guix-configuration-privileged? config))
        (discover?   (guix-configuration-discover? config))
        (tmpdir      (guix-tmpdir config))
        (proxy       (guix-http-proxy config))
        (log-file    (guix-configuration-log-file config))
        (locales     (if (hurd-target?)
                         glibc-utf8-locales/hurd
                         glibc-utf8-locales)))
    (list (shepherd-service
           (provision '(guix-ownership))
           (requirement '(user-processes user-homes))
           (one-shot? #t)
           (start #~(lambda ()
                      ;; Give the store to root or to the guix-daemon user,
                      ;; as the daemon's privileges require, when it is not
                      ;; already theirs.
                      (let* ((st (lstat #$(store-prefix)))
                             (root-owned? (and (zero? (stat:uid st))
                                               (zero? (stat:gid st)))))
                        (cond ((and #$privileged? (not root-owned?))
                               (format #t "Changing to privileged guix-daemon.~%")
                               (zero? (system* "chown" "-R" "0:0"
                                               #$(store-prefix) "/var/guix")))
                              ((and (not #$privileged?) root-owned?)
                               (format #t "Changing to unprivileged guix-daemon.~%")
                               (zero? (system* "chown" "-R"
                                               "guix-daemon:guix-daemon"
                                               #$(store-prefix) "/var/guix")))
                              (else #t)))))
           (documentation "Ensure that the store and other data files used by
guix-daemon have the right ownership."))

          (shepherd-service
           (documentation "Run the Guix daemon.")
           (provision '(guix-daemon))
           (requirement `(user-processes
                          guix-ownership
                          ,@(if discover? '(avahi-daemon) '())))
           (actions
            (list (shepherd-action
                   (name 'set-http-proxy)
                   (documentation
                    "Change the HTTP(S) proxy used by 'guix-daemon' and restart it.")
                   (procedure #~(lambda* (_ #:optional proxy)
                                  (if proxy
                                      (setenv "http_proxy" proxy)
                                      (unsetenv "http_proxy"))
                                  (perform-service-action
                                   (lookup-service 'guix-daemon) 'restart))))
                  (shepherd-action
                   (name 'discover)
                   (documentation
                    "Enable or disable substitute servers discovery and restart the
'guix-daemon'.")
                   (procedure #~(lambda* (_ status)
                                  (if (equal? status "on")
                                      (setenv "discover" "on")
                                      (unsetenv "discover"))
                                  (perform-service-action
                                   (lookup-service 'guix-daemon) 'restart))))))
           (modules '((srfi srfi-1)
                      (ice-9 match)
                      (gnu build shepherd)
                      (guix build utils)))
           (start
            (with-imported-modules '((gnu build shepherd) (guix build utils))
              #~(lambda args
                  (let* ((proxy (or (getenv "http_proxy") #$proxy))
                         (discover? (or (getenv "discover") #$discover?))
                         (command
                          (append (list #$@(guix-daemon-command config))
                                  (list (string-append "--discover="
                                                       (if discover? "yes" "no")))))
                         (environment
                          (append
                           (list #$@(if tmpdir
                                        (list (string-append "TMPDIR=" tmpdir))
                                        '())
                                 ;; A UTF-8 locale, so that file names in
                                 ;; nars are decoded right.
                                 (string-append "GUIX_LOCPATH="
                                                #$locales "/lib/locale")
                                 "LC_ALL=en_US.utf8"
                                 ;; For 'guix perform-download' and SWH.
                                 (string-append "PATH="
                                                #$(file-append tar "/bin") ":"
                                                #$(file-append gzip "/bin")))
                           (if proxy
                               (list (string-append "http_proxy=" proxy)
                                     (string-append "https_proxy=" proxy))
                               '())
                           '#$(guix-configuration-environment config))))
                    ;; A fresh socket directory: a process may still hold
                    ;; the old one open.
                    (false-if-exception
                     (delete-file-recursively "/var/guix/daemon-socket"))
                    ((make-systemd-constructor
                      command
                      (list (endpoint (make-socket-address
                                       AF_UNIX "/var/guix/daemon-socket/socket")
                                      #:name "socket"
                                      #:socket-owner
                                      (or #$(guix-configuration-socket-directory-user
                                             config)
                                          #$(if privileged? 0 "guix-daemon"))
                                      #:socket-group
                                      (or #$(guix-configuration-socket-directory-group
                                             config)
                                          #$(if privileged? 0 "guix-daemon"))
                                      #:socket-directory-permissions
                                      #$(guix-configuration-socket-directory-permissions
                                         config)))
                      #:environment-variables environment
                      #:log-file #$log-file))))))
           (stop #~(lambda (value)
                     (if (or (process? value) (integer? value))
                         ((make-kill-destructor) value)
                         ((make-systemd-destructor) value))))))))

(define (guix-accounts config)
  "The accounts and groups CONFIG needs."
  (append
   (if (guix-configuration-privileged? config)
       '()
       (list (user-group (name "guix-daemon") (system? #t))
             (user-account
              (name "guix-daemon")
              (group "guix-daemon")
              (system? #t)
              (supplementary-groups '("kvm"))
              (comment "Guix Daemon User")
              (home-directory "/var/empty")
              (shell (file-append shadow "/sbin/nologin")))))
   ;; The build group and accounts always exist: a privileged daemon still
   ;; running during a switch to unprivileged needs them.
   (list (user-group
          (name (guix-configuration-build-group config))
          (system? #t)
          ;; A fixed GID, so that the store can be created with it.
          (id 30000)))
   (guix-build-accounts (guix-configuration-build-accounts config)
                        #:group (guix-configuration-build-group config))))

(define (install-link file target)
  ;; Make TARGET a link to FILE, moving aside a file the user put there.
  #~(begin
      (use-modules (guix build utils))
      (if (file-exists? #$target)
          (if (and (symbolic-link? #$target)
                   (store-file-name? (readlink #$target)))
              (delete-file #$target)
              (rename-file #$target (string-append #$target ".bak")))
          (mkdir-p (dirname #$target)))
      (symlink #$file #$target)))

(define (substitute-key-authorization keys guix)
  "A gexp installing /etc/guix/acl, authorizing KEYS."
  (install-link
   (computed-file "acl"
                  (with-imported-modules '((guix pki))
                    #~(begin
                        (use-modules (guix pki) (gcrypt pk-crypto)
                                     (ice-9 rdelim))
                        (call-with-output-file #$output
                          (lambda (port)
                            (write-acl
                             (public-keys->acl
                              (map (lambda (file)
                                     (call-with-input-file file
                                       (compose string->canonical-sexp
                                                read-string)))
                                   '(#$@keys)))
                             port))))))
   "/etc/guix/acl"))

(define (guix-activation config)
  "The activation gexp of CONFIG: a signing key, the ACL, channels.scm and
machines.scm."
  (let ((guix (guix-configuration-guix config))
        (channels (guix-configuration-channels config))
        (machines (guix-configuration-build-machines config)))
    #~(begin
        (unless (or #$(not (guix-configuration-generate-substitute-key? config))
                    (file-exists? "/etc/guix/signing-key.pub"))
          (system* #$(file-append guix "/bin/guix") "archive" "--generate-key"))
        #$(if (guix-configuration-authorize-key? config)
              (substitute-key-authorization
               (guix-configuration-authorized-keys config) guix)
              #~#f)
        #$(if channels
              (install-link (scheme-file "channels.scm" #~(list #$@channels))
                            "/etc/guix/channels.scm")
              #~#f)
        #$(if (null? machines)
              #~#f
              (install-link (scheme-file "machines.scm" #~(list #$@machines))
                            "/etc/guix/machines.scm")))))

(define-record-type* <guix-extension>
  guix-extension make-guix-extension
  guix-extension?
  (authorized-keys    guix-extension-authorized-keys ;list of file-like
                      (default '()))
  (substitute-urls    guix-extension-substitute-urls ;list of strings
                      (default '()))
  (build-machines     guix-extension-build-machines ;list of gexps
                      (default '()))
  (chroot-directories guix-extension-chroot-directories ;list
                      (default '())))

(define (guix-extension-merge a b)
  (guix-extension
   (authorized-keys (append (guix-extension-authorized-keys a)
                            (guix-extension-authorized-keys b)))
   (substitute-urls (append (guix-extension-substitute-urls a)
                            (guix-extension-substitute-urls b)))
   (build-machines (append (guix-extension-build-machines a)
                           (guix-extension-build-machines b)))
   (chroot-directories (append (guix-extension-chroot-directories a)
                               (guix-extension-chroot-directories b)))))

(define guix-service-type
  ;; Extended by <guix-extension> records: more keys, substitute URLs,
  ;; build machines, chroot directories.
  (service-type
   (name 'guix)
   (extensions
    (list (service-extension shepherd-root-service-type guix-shepherd-services)
          (service-extension account-service-type guix-accounts)
          (service-extension activation-service-type guix-activation)
          (service-extension profile-service-type
                             (lambda (config)
                               (list (guix-configuration-guix config))))))
   (compose (lambda (extensions)
              (fold guix-extension-merge (guix-extension) extensions)))
   (extend (lambda (config extension)
             (guix-configuration
              (inherit config)
              (authorized-keys (append (guix-extension-authorized-keys extension)
                                       (guix-configuration-authorized-keys config)))
              (substitute-urls (append (guix-extension-substitute-urls extension)
                                       (guix-configuration-substitute-urls config)))
              (build-machines (append (guix-configuration-build-machines config)
                                      (guix-extension-build-machines extension)))
              (chroot-directories
               (append (guix-extension-chroot-directories extension)
                       (guix-configuration-chroot-directories config))))))
   (default-value (guix-configuration))
   (description
    "Run the build daemon of GNU@tie{}Guix, aka. @command{guix-daemon}.")))

(define-record-type* <guix-publish-configuration>
  guix-publish-configuration make-guix-publish-configuration
  guix-publish-configuration?
  (guix         guix-publish-configuration-guix   ;file-like
                (default guix))
  (port         guix-publish-configuration-port   ;integer
                (default 80))
  (host         guix-publish-configuration-host   ;string
                (default "localhost"))
  (advertise?   guix-publish-advertise?           ;Boolean
                (default #f))
  ;; Without a cache, compress little so that users get good bandwidth.
  (compression  guix-publish-configuration-compression ;list of (TYPE LEVEL)
                (thunked)
                (default (if (guix-publish-configuration-cache this-record)
                             '(("gzip" 5) ("zstd" 19))
                             '(("gzip" 3) ("zstd" 3)))))
  (nar-path     guix-publish-configuration-nar-path ;string
                (default "nar"))
  (cache        guix-publish-configuration-cache  ;string | #f
                (default #f))
  (cache-bypass-threshold guix-publish-configuration-cache-bypass-threshold
                          (default (* 10 (expt 2 20)))) ;bytes
  (workers      guix-publish-configuration-workers ;integer | #f
                (default #f))
  (ttl          guix-publish-configuration-ttl    ;seconds | #f
                (default #f))
  (negative-ttl guix-publish-configuration-negative-ttl ;seconds | #f
                (default #f)))

(define (guix-publish-shepherd-service config)
  (let* ((compression (guix-publish-configuration-compression config))
         (options
          (append
           (list "publish" "-u" "guix-publish"
                 "-p" (number->string (guix-publish-configuration-port config)))
           (if (null? compression)
               '("-C0")
               (append-map (lambda (c)
                             (list "-C" (string-append (car c) ":"
                                                       (number->string (cadr c)))))
                           compression))
           (list (string-append "--nar-path="
                                (guix-publish-configuration-nar-path config))
                 (string-append "--listen="
                                (guix-publish-configuration-host config)))
           (if (guix-publish-advertise? config) '("--advertise") '())
           (let ((n (guix-publish-configuration-workers config)))
             (if n (list (string-append "--workers=" (number->string n))) '()))
           (let ((ttl (guix-publish-configuration-ttl config)))
             (if ttl (list (string-append "--ttl=" (number->string ttl) "s")) '()))
           (let ((ttl (guix-publish-configuration-negative-ttl config)))
             (if ttl
                 (list (string-append "--negative-ttl=" (number->string ttl) "s"))
                 '()))
           (let ((cache (guix-publish-configuration-cache config)))
             (if cache
                 (list (string-append "--cache=" cache)
                       (string-append
                        "--cache-bypass-threshold="
                        (number->string
                         (guix-publish-configuration-cache-bypass-threshold
                          config))))
                 '())))))
    (list (shepherd-service
           (provision '(guix-publish))
           (requirement `(user-processes
                          guix-daemon
                          ,@(if (guix-publish-advertise? config)
                                '(avahi-daemon)
                                '())))
           ;; Socket activation, lazily unless the server must advertise
           ;; itself right away.
           (start #~(make-systemd-constructor
                     (cons #$(file-append (guix-publish-configuration-guix config)
                                          "/bin/guix")
                           '#$options)
                     (list (endpoint
                            (addrinfo:addr
                             (car (getaddrinfo
                                   #$(guix-publish-configuration-host config)
                                   #$(number->string
                                      (guix-publish-configuration-port config))
                                   AI_NUMERICSERV)))))
                     #:log-file "/var/log/guix-publish.log"
                     #:lazy-start? #$(not (guix-publish-advertise? config))))
           (stop #~(make-systemd-destructor))))))

(define %guix-publish-accounts
  (list (user-group (name "guix-publish") (system? #t))
        (user-account
         (name "guix-publish")
         (group "guix-publish")
         (system? #t)
         (comment "guix publish user")
         (home-directory "/var/empty")
         (shell (file-append shadow "/sbin/nologin")))))

(define (guix-publish-activation config)
  (let ((cache (guix-publish-configuration-cache config)))
    (if cache
        (with-imported-modules '((guix build utils))
          #~(begin
              (use-modules (guix build utils))
              (mkdir-p #$cache)
              (let ((pw (getpw "guix-publish")))
                (chown #$cache (passwd:uid pw) (passwd:gid pw)))))
        #t)))

(define guix-publish-service-type
  (service-type (name 'guix-publish)
                (extensions
                 (list (service-extension shepherd-root-service-type
                                          guix-publish-shepherd-service)
                       (service-extension account-service-type
                                          (const %guix-publish-accounts))
                       (service-extension activation-service-type
                                          guix-publish-activation)))
                (default-value (guix-publish-configuration))
                (description
                 "Add a Shepherd service running @command{guix publish}, a
command that allows you to share pre-built binaries with others over HTTP.")))


;;;
;;; udev.
;;;

(define-record-type* <udev-configuration>
  udev-configuration make-udev-configuration
  udev-configuration?
  (udev     udev-configuration-udev               ;file-like
            (default eudev))
  (debug?   udev-configuration-debug?             ;Boolean
            (default #f))
  (rules    udev-configuration-rules              ;list of file-like
            (default '()))
  (hardware udev-configuration-hardware           ;list of file-like
            (default '())))

(define (udev-configurations-union subdirectory packages)
  "The union of the lib/udev/SUBDIRECTORY directories of PACKAGES."
  (computed-file
   (string-append "udev-" subdirectory)
   (with-imported-modules '((guix build union) (guix build utils))
     #~(begin
         (use-modules (guix build union) (guix build utils) (srfi srfi-1))
         (union-build
          #$output
          (filter-map (lambda (dir)
                        (find directory-exists?
                              (list (string-append dir "/lib/udev/"
                                                   #$subdirectory)
                                    (string-append dir "/libexec/udev/"
                                                   #$subdirectory))))
                      '#$packages))))))

(define (file->udev-configuration-file subdirectory file-name file)
  (computed-file file-name
                 (with-imported-modules '((guix build utils))
                   #~(begin
                       (use-modules (guix build utils))
                       (let ((dir (string-append #$output "/lib/udev/"
                                                 #$subdirectory)))
                         (mkdir-p dir)
                         (copy-file #$file (string-append dir "/" #$file-name)))))))

(define (udev-rule file-name contents)
  "A directory with the udev rule FILE-NAME holding CONTENTS."
  (file->udev-configuration-file "rules.d" file-name
                                 (plain-file file-name contents)))

(define (udev-hardware file-name contents)
  "A directory with the udev hardware file FILE-NAME holding CONTENTS."
  (file->udev-configuration-file "hwdb.d" file-name
                                 (plain-file file-name contents)))

(define (file->udev-rule file-name file)
  "A directory with the udev rule FILE-NAME, a copy of FILE."
  (file->udev-configuration-file "rules.d" file-name file))

(define (file->udev-hardware file-name file)
  "A directory with the udev hardware file FILE-NAME, a copy of FILE."
  (file->udev-configuration-file "hwdb.d" file-name file))

(define kvm-udev-rule
  ;; Build users are in the "kvm" group, so /dev/kvm can be group-writable.
  (udev-rule "90-kvm.rules"
             "KERNEL==\"kvm\", GROUP=\"kvm\", MODE=\"0660\"\n"))

(define (udev-shepherd-service config)
  (let ((udev (udev-configuration-udev config)))
    (list
     (shepherd-service
      (provision '(udev))
      ;; /dev must be a devtmpfs mount for udev to add nodes.
      (requirement '(root-file-system))
      (documentation "Populate the /dev directory, dynamically.")
      (start
       (with-imported-modules '((gnu build linux-boot))
         #~(lambda ()
             (define udevd #$(file-append udev "/sbin/udevd"))
             (define (wait-for-udevd)
               (let ((sock (socket AF_UNIX SOCK_SEQPACKET 0)))
                 (let try ()
                   (catch 'system-error
                     (lambda ()
                       (connect sock PF_UNIX "/run/udev/control")
                       (close-port sock))
                     (lambda args
                       (format #t "waiting for udevd...~%")
                       (usleep 500000)
                       (try))))))
             (setenv "LINUX_MODULE_DIRECTORY"
                     "/run/booted-system/kernel/lib/modules")
             (let ((dir (string-append (getenv "LINUX_MODULE_DIRECTORY") "/"
                                       (utsname:release (uname)))))
               ;; In a container the host's kernel may differ: skip.
               (when (file-exists? dir)
                 (let ((old (umask #o022)))
                   (make-static-device-nodes dir)
                   (umask old))))
             (let ((pid (fork+exec-command
                         (list udevd
                               #$@(if (udev-configuration-debug? config)
                                      '("--debug")
                                      '()))
                         #:environment-variables
                         (cons (string-append "LINUX_MODULE_DIRECTORY="
                                              (getenv "LINUX_MODULE_DIRECTORY"))
                               (default-environment-variables)))))
               (wait-for-udevd)
               (system* #$(file-append udev "/bin/udevadm")
                        "trigger" "--action=add")
               (system* #$(file-append udev "/bin/udevadm") "settle")
               pid))))
      (stop #~(make-kill-destructor))
      ;; 'user-processes' kills udevd at shutdown: do not respawn it.
      (respawn? #f)
      (modules `((gnu build linux-boot) ,@%default-modules))))))

(define udev.conf
  (computed-file "udev.conf"
                 #~(call-with-output-file #$output
                     (lambda (port)
                       (format port "udev_rules=\"/etc/udev/rules.d\"~%")))))

(define (udev-etc config)
  (let* ((udev (udev-configuration-udev config))
         (hardware (udev-configurations-union
                    "hwdb.d" (cons udev (udev-configuration-hardware config))))
         (hwdb.bin (computed-file
                    "hwdb.bin"
                    (with-imported-modules '((guix build utils))
                      #~(begin
                          (use-modules (guix build utils))
                          (setenv "UDEV_HWDB_PATH" #$hardware)
                          (invoke #+(file-append udev "/bin/udevadm")
                                  "hwdb" "--update" "-o" #$output))))))
    `(("udev"
       ,(file-union "udev"
                    `(("udev.conf" ,udev.conf)
                      ("rules.d"
                       ,(udev-configurations-union
                         "rules.d"
                         (cons* udev kvm-udev-rule
                                (udev-configuration-rules config))))
                      ("hwdb.bin" ,hwdb.bin)))))))

(define udev-service-type
  ;; Extended by lists of packages or directories with rules/hardware files.
  (service-type (name 'udev)
                (extensions
                 (list (service-extension shepherd-root-service-type
                                          udev-shepherd-service)
                       (service-extension etc-service-type udev-etc)))
                (compose concatenate)
                (extend (lambda (config extensions)
                          (udev-configuration
                           (inherit config)
                           (rules (append (udev-configuration-rules config)
                                          extensions))
                           (hardware (append (udev-configuration-hardware config)
                                             extensions)))))
                (default-value (udev-configuration))
                (description
                 "Run @command{udev}, which populates the @file{/dev}
directory dynamically.  Get extra rules from the packages listed in the
@code{rules} field of its value, @code{udev-configuration} object.")))

(define* (udev-rules-service name rules #:key (groups '()))
  "A service adding RULES to udev and GROUPS as system groups, of a new
service type NAME-udev-rules."
  (let ((type (service-type
               (name (symbol-append name '-udev-rules))
               (extensions
                (list (service-extension
                       account-service-type
                       (const (map (lambda (group)
                                     (user-group (name group) (system? #t)))
                                   groups)))
                      (service-extension udev-service-type
                                         (const (list rules)))))
               (description "This service adds udev rules."))))
    (service type #f)))

(define (udev-hardware-service name hardware-files)
  "A service adding HARDWARE-FILES to udev, of a new service type
NAME-udev-hardware."
  (let ((type (service-type
               (name (symbol-append name '-udev-hardware))
               (extensions
                (list (service-extension udev-service-type
                                         (const (list hardware-files)))))
               (description "This service adds udev hardware files."))))
    (service type #f)))


;;;
;;; The mouse in the console.
;;;

(define %default-gpm-options
  '("-m" "/dev/input/mice" "-t" "ps2"))

(define-record-type* <gpm-configuration>
  gpm-configuration make-gpm-configuration gpm-configuration?
  (gpm     gpm-configuration-gpm                  ;file-like
           (default gpm))
  (options gpm-configuration-options              ;list of strings
           (default %default-gpm-options)))

(define (gpm-shepherd-service config)
  (let ((gpm (gpm-configuration-gpm config)))
    (list (shepherd-service
           (requirement '(user-processes udev))
           (provision '(gpm))
           ;; gpm daemonizes and writes a PID file; it must run as root.
           (start #~(make-forkexec-constructor
                     (list #$(file-append gpm "/sbin/gpm")
                           #$@(gpm-configuration-options config))
                     #:pid-file "/var/run/gpm.pid"
                     #:pid-file-timeout 3))
           (stop #~(lambda (_)
                     (not (zero? (system* #$(file-append gpm "/sbin/gpm")
                                          "-k")))))))))

(define gpm-service-type
  (service-type (name 'gpm)
                (extensions
                 (list (service-extension shepherd-root-service-type
                                          gpm-shepherd-service)))
                (default-value (gpm-configuration))
                (description
                 "Run GPM, the general-purpose mouse daemon, with the given
command-line options.  GPM allows users to use the mouse in the console,
notably to select, copy, and paste text.  The default options use the
@code{ps2} protocol, which works for both USB and PS/2 mice.")))


;;;
;;; Static networking.
;;;

(define (cidr->netmask-bits address)
  ;; The number after the slash of a CIDR address, or #f.
  (let ((slash (string-index address #\/)))
    (and slash (string->number (substring address (+ slash 1))))))

(define (cidr->ip address)
  (let ((slash (string-index address #\/)))
    (if slash (substring address 0 slash) address)))

(define (assert-valid-address address)
  ;; Guix reports this at the record's location, at expansion time.
  (if (and (string? address) (cidr->netmask-bits address))
      address
      (raise (make-service-error
              'error #f
              (format #f "address '~a' lacks a network mask" address)
              '()
              (format #f "Write, say, \"~a/24\" for a 24-bit network mask."
                      address)))))

(define (ipv6-address? address)
  ;; IPv6 addresses, and only they, contain colons.
  (and (string? address) (string-index address #\:) #t))

(define-record-type* <static-networking>
  static-networking make-static-networking
  static-networking?
  (addresses    static-networking-addresses       ;list of <network-address>
                (default '()))
  (links        static-networking-links           ;list of <network-link>
                (default '()))
  (routes       static-networking-routes          ;list of <network-route>
                (default '()))
  (provision    static-networking-provision       ;list of symbols
                (default '(networking)))
  ;; Most interfaces need udev to be usable.
  (requirement  static-networking-requirement     ;list of symbols
                (default '(udev)))
  ;; Guix keeps name servers here although they concern /etc/resolv.conf.
  (name-servers static-networking-name-servers    ;list of strings
                (default '())))

(define-record-type* <network-address>
  network-address make-network-address
  network-address?
  (device network-address-device)                 ;string, e.g. "eth0"
  (value  network-address-value                   ;string, CIDR notation
          (sanitize assert-valid-address))
  (ipv6?  network-address-ipv6?                   ;Boolean
          (thunked)
          (default (ipv6-address? (cidr->ip (network-address-value this-record))))))

(define-record-type* <network-link>
  network-link make-network-link
  network-link?
  (name        network-link-name                  ;string | #f, e.g. "v0p0"
               (default #f))
  (type        network-link-type                  ;symbol | #f, e.g. 'veth
               (default #f))
  (mac-address network-link-mac-address           ;string | #f
               (default #f))
  (arguments   network-link-arguments))           ;alist

(define-record-type* <network-route>
  network-route make-network-route
  network-route?
  (destination network-route-destination)         ;string, e.g. "default"
  (source      network-route-source (default #f)) ;string | #f
  (device      network-route-device (default #f)) ;string | #f
  (ipv6?       network-route-ipv6?                ;Boolean
               (thunked)
               (default (or (ipv6-address? (network-route-destination this-record))
                            (ipv6-address? (network-route-gateway this-record)))))
  (gateway     network-route-gateway (default #f))) ;string | #f

(define (static-networking->hurd-pfinet-options config)
  "The options of the Hurd's pfinet translator for CONFIG."
  (let ((addresses (static-networking-addresses config)))
    (if (null? addresses)
        '()
        (append
         (list "--ipv6" "/servers/socket/26"
               "--interface"
               (string-append "/dev/" (network-address-device (car addresses))))
         (append-map
          (lambda (address)
            (let ((value (network-address-value address)))
              (list (if (network-address-ipv6? address) "--address6" "--address")
                    (cidr->ip value))))
          addresses)
         (append-map
          (lambda (route)
            (if (equal? (network-route-destination route) "default")
                (list (if (network-route-ipv6? route) "--gateway6" "--gateway")
                      (network-route-gateway route))
                '()))
          (static-networking-routes config))))))

(define (network-set-up/hurd config)
  ;; The loopback interface needs no pfinet of its own.
  (if (equal? (static-networking-provision config) '(loopback))
      (program-file "set-up-pflocal" #~(begin 'nothing-to-do! #t))
      (program-file "set-up-pfinet"
                    (with-imported-modules '((guix build utils))
                      #~(begin
                          (use-modules (guix build utils))
                          (apply invoke #$(file-append hurd "/bin/settrans")
                                 "--active" "--create" "--keep-active"
                                 "/servers/socket/2"
                                 #$(file-append hurd "/hurd/pfinet")
                                 '#$(static-networking->hurd-pfinet-options
                                     config)))))))

(define (network-tear-down/hurd config)
  (program-file "tear-down-pfinet"
                (with-imported-modules '((guix build utils))
                  #~(begin
                      (use-modules (guix build utils))
                      ;; Only killing pfinet undoes its settings reliably.
                      (invoke #$(file-append hurd "/bin/settrans") "-fg"
                              "/servers/socket/2")
                      #f))))

(define (network-set-up/linux config)
  (program-file
   "set-up-network"
   (with-extensions (list (optional-variable '(gnu packages guile-xyz)
                                             'guile-netlink))
     #~(begin
         (use-modules (ip addr) (ip link) (ip route))
         ;; Give up if devices do not show up within a minute.
         (alarm 60)
         #$@(map (lambda (address)
                   #~(let ((device #$(network-address-device address)))
                       (format #t "Waiting for network device '~a'...~%" device)
                       (wait-for-link device)
                       (addr-add device #$(network-address-value address)
                                 #:ipv6? #$(network-address-ipv6? address))
                       (link-set device #:multicast-on #t #:up #t)))
                 (static-networking-addresses config))
         #$@(map (lambda (route)
                   #~(route-add #$(network-route-destination route)
                                #:device #$(network-route-device route)
                                #:ipv6? #$(network-route-ipv6? route)
                                #:via #$(network-route-gateway route)
                                #:src #$(network-route-source route)))
                 (static-networking-routes config))
         #t))))

(define (network-tear-down/linux config)
  (program-file
   "tear-down-network"
   (with-extensions (list (optional-variable '(gnu packages guile-xyz)
                                             'guile-netlink))
     #~(begin
         (use-modules (ip addr) (ip link) (ip route))
         #$@(map (lambda (route)
                   #~(false-if-exception
                      (route-del #$(network-route-destination route)
                                 #:device #$(network-route-device route)
                                 #:ipv6? #$(network-route-ipv6? route)
                                 #:via #$(network-route-gateway route)
                                 #:src #$(network-route-source route))))
                 (static-networking-routes config))
         #$@(map (lambda (address)
                   #~(false-if-exception
                      (addr-del #$(network-address-device address)
                                #$(network-address-value address)
                                #:ipv6? #$(network-address-ipv6? address))))
                 (static-networking-addresses config))
         #f))))

(define (static-networking-shepherd-service config)
  ;; Set-up and tear-down programs are chosen by the system the service is
  ;; built for: the Hurd configures pfinet.
  (let ((hurd? (hurd-target?)))
    (shepherd-service
     (documentation
      "Bring up the networking interface using a static IP address.")
     (requirement (static-networking-requirement config))
     (provision (static-networking-provision config))
     (start #~(lambda _
                (zero? (system* #$(if hurd?
                                      (network-set-up/hurd config)
                                      (network-set-up/linux config))))))
     (stop #~(lambda _
               (zero? (system* #$(if hurd?
                                     (network-tear-down/hurd config)
                                     (network-tear-down/linux config))))))
     (respawn? #f))))

(define (static-networking-shepherd-services networks)
  (map static-networking-shepherd-service networks))

(define (static-networking-etc-files networks)
  "An /etc/resolv.conf entry for the name servers of NETWORKS, if any."
  (let ((servers (delete-duplicates
                  (append-map static-networking-name-servers networks))))
    (if (null? servers)
        '()
        `(("resolv.conf"
           ,(plain-file "resolv.conf"
                        (string-append
                         "# Generated by 'static-networking-service'.\n"
                         (string-concatenate
                          (map (lambda (s) (string-append "nameserver " s "\n"))
                               servers)))))))))

(define static-networking-service-type
  ;; Values are lists of <static-networking>, one per interface.
  (service-type (name 'static-networking)
                (extensions
                 (list
                  (service-extension shepherd-root-service-type
                                     static-networking-shepherd-services)
                  (service-extension etc-service-type
                                     static-networking-etc-files)))
                (compose concatenate)
                (extend append)
                (description
                 "Turn up the specified network interfaces upon startup,
with the given IP address, gateway, netmask, and so on.  The value for
services of this type is a list of @code{static-networking} objects, one per
network interface.")))

(define %loopback-static-networking
  ;; The loopback device.
  (static-networking
   (addresses (list (network-address
                     (device "lo")
                     (value "127.0.0.1/8"))))
   (requirement '())
   (provision '(loopback))))

(define %qemu-static-networking
  ;; QEMU's user-mode network stack.
  (static-networking
   (addresses (list (network-address
                     (device "eth0")
                     (value "10.0.2.15/24"))))
   (routes (list (network-route
                  (destination "default")
                  (gateway "10.0.2.2"))))
   (requirement '())
   (provision '(networking))
   (name-servers '("10.0.2.3"))))


;;;
;;; The base services.
;;;

(define %base-services
  ;; The services of a typical GNU/Linux system, as in Guix 1.5.
  (list (service login-service-type)

        (service virtual-terminal-service-type)
        (service console-font-service-type
                 (map (lambda (tty)
                        (cons tty %default-console-font))
                      '("tty1" "tty2" "tty3" "tty4" "tty5" "tty6")))

        (service shepherd-system-log-service-type)
        (service agetty-service-type (agetty-configuration
                                      (extra-options '("-L")) ;no carrier detect
                                      (term "vt100")
                                      (tty #f)                ;automatic
                                      (shepherd-requirement '(syslogd))))

        (service mingetty-service-type (mingetty-configuration
                                        (tty "tty1")))
        (service mingetty-service-type (mingetty-configuration
                                        (tty "tty2")))
        (service mingetty-service-type (mingetty-configuration
                                        (tty "tty3")))
        (service mingetty-service-type (mingetty-configuration
                                        (tty "tty4")))
        (service mingetty-service-type (mingetty-configuration
                                        (tty "tty5")))
        (service mingetty-service-type (mingetty-configuration
                                        (tty "tty6")))

        (service static-networking-service-type
                 (list %loopback-static-networking))
        (service urandom-seed-service-type)
        (service guix-service-type)
        (service nscd-service-type)

        (service log-rotation-service-type)

        ;; Conveniences the Shepherd brings.
        (service shepherd-timer-service-type)
        (service shepherd-transient-service-type)

        ;; Old build logs go after six months.
        (service log-cleanup-service-type
                 (log-cleanup-configuration
                  (directory "/var/log/guix/drvs")))

        ;; LVM2 and device-mapper users need their rules early; FUSE, ALSA
        ;; and CRDA rules are handy.
        (service udev-service-type
                 (udev-configuration
                  (rules (list lvm2 fuse alsa-utils crda))))

        (service sysctl-service-type)

        (service special-files-service-type
                 `(("/bin/sh" ,(file-append bash "/bin/sh"))
                   ("/usr/bin/env" ,(file-append coreutils "/bin/env"))))))

;;; base.scm ends here
