;;; (gnu services base), (gnu services hurd), (gnu services networking):
;;; the base services of Guix 1.5, their shepherd services, and the services
;;; %base-services/hurd is made of.
(use-modules (srfi srfi-64) (srfi srfi-1)
             (gnu services) (gnu services shepherd) (gnu services base)
             (gnu services hurd) (gnu services networking)
             (gnu services admin) (gnu services sysctl)
             (gnu system shadow) (gnu system pam))

(test-begin "gnu-services-base")

(define (message-of thunk)
  (guard (e (#t (if (error-object? e) (error-object-message e) e)))
    (thunk)
    'no-error))

(define (type-names services)
  (map (lambda (s) (service-type-name (service-kind s))) services))

;; What (gnu system) adds to every operating system, enough for the
;; services below to find their targets.
(define essentials
  (list (service system-service-type '())
        (service host-name-service-type "host")
        (service file-system-service-type '())
        (service root-file-system-service-type #f)
        (pam-root-service (base-pam-services))
        (service account-service-type '())
        (service fstab-service-type '())
        (service privileged-program-service-type '())))

(define (shepherd-services-of services)
  (shepherd-configuration-services
   (service-value
    (fold-services (instantiate-missing-services (append services essentials))
                   #:target-type shepherd-root-service-type))))

(define (provisions services)
  ;; Each shepherd service as its provision list, sorted.
  (sort (map (lambda (s)
               (string-join (map symbol->string (shepherd-service-provision s))))
             (shepherd-services-of services))
        string<?))

(define (requirements-of name services)
  (shepherd-service-requirement
   (find (lambda (s) (memq name (shepherd-service-provision s)))
         (shepherd-services-of services))))

(test-group "%base-services"
  (test-equal '(login virtual-terminal console-fonts shepherd-system-log agetty
                mingetty mingetty mingetty mingetty mingetty mingetty
                static-networking urandom-seed guix nscd log-rotation
                shepherd-timer shepherd-transient log-cleanup udev sysctl
                special-files)
    (type-names %base-services))
  (test-equal '("console-font-tty1" "console-font-tty2" "console-font-tty3"
                "console-font-tty4" "console-font-tty5" "console-font-tty6"
                "file-systems" "guix-daemon" "guix-ownership" "host-name"
                "log-cleanup" "log-rotation" "loopback" "nscd" "pam"
                "root-file-system" "sysctl" "system-log syslogd" "term-console"
                "term-tty1" "term-tty2" "term-tty3" "term-tty4" "term-tty5"
                "term-tty6" "timer" "transient" "udev" "urandom-seed"
                "user-file-systems" "user-homes" "user-processes"
                "virtual-terminal")
    (provisions %base-services))
  (test-equal '(user-processes host-name udev virtual-terminal)
    (requirements-of 'term-tty3 %base-services))
  (test-equal '(user-processes host-name udev syslogd)
    (requirements-of 'term-console %base-services))
  (test-equal '(term-tty1) (requirements-of 'console-font-tty1 %base-services))
  (test-equal '(user-processes syslogd) (requirements-of 'nscd %base-services))
  (test-equal '(file-systems udev) (requirements-of 'urandom-seed %base-services))
  (test-equal '(user-processes guix-ownership)
    (requirements-of 'guix-daemon %base-services))
  (test-equal '(user-processes user-homes)
    (requirements-of 'guix-ownership %base-services))
  ;; user-processes waits for what its extensions name
  (test-equal '(file-systems urandom-seed user-homes)
    (sort (requirements-of 'user-processes %base-services)
          (lambda (a b) (string<? (symbol->string a) (symbol->string b)))))
  ;; syslog files are rotated: not in %base-services, whose system log is
  ;; the shepherd's
  (test-equal '("/var/log/messages" "/var/log/secure" "/var/log/debug"
                "/var/log/maillog")
    (log-rotation-configuration-external-log-files
     (service-value
      (fold-services (instantiate-missing-services
                      (cons* (service syslog-service-type) essentials))
                     #:target-type log-rotation-service-type)))))

(test-group "modify-services on %base-services"
  (let ((services (modify-services %base-services
                    (guix-service-type config =>
                                       (guix-configuration
                                        (inherit config)
                                        (use-substitutes? #f)
                                        (extra-options '("--gc-keep-derivations"))))
                    (mingetty-service-type config =>
                                           (mingetty-configuration
                                            (inherit config)
                                            (auto-login "root")))
                    (delete udev-service-type))))
    (test-eq #f (memq 'udev (type-names services)))
    (let ((guix (service-value (find (lambda (s)
                                       (eq? guix-service-type (service-kind s)))
                                     services))))
      (test-eq #f (guix-configuration-use-substitutes? guix))
      (test-equal '("--gc-keep-derivations") (guix-configuration-extra-options guix))
      (test-eqv 10 (guix-configuration-build-accounts guix)))
    (test-equal '("root" "root" "root" "root" "root" "root")
      (filter-map (lambda (s)
                    (and (eq? mingetty-service-type (service-kind s))
                         (mingetty-configuration-auto-login (service-value s))))
                  services))
    ;; the shepherd now finds no udev for the gettys
    (test-equal "service 'urandom-seed' requires 'udev', which is not provided by any service"
      (message-of (lambda () (provisions services))))))

(test-group "guix-configuration"
  (let ((c (guix-configuration)))
    (test-equal "guixbuild" (guix-configuration-build-group c))
    (test-eqv 10 (guix-configuration-build-accounts c))
    (test-eq 'default (guix-configuration-chroot? c))
    (test-eq #t (guix-configuration-authorize-key? c))
    (test-eqv 2 (length (guix-configuration-authorized-keys c)))
    (test-eq #t (guix-configuration-use-substitutes? c))
    (test-equal '("https://bordeaux.guix.gnu.org" "https://ci.guix.gnu.org")
      (guix-configuration-substitute-urls c))
    (test-eq #t (guix-configuration-generate-substitute-key? c))
    (test-eq #f (guix-configuration-channels c))
    (test-equal '() (guix-configuration-chroot-directories c))
    (test-eqv 3600 (guix-configuration-max-silent-time c))
    (test-eqv 86400 (guix-configuration-timeout c))
    (test-eq 'gzip (guix-configuration-log-compression c))
    (test-eq #f (guix-configuration-discover? c))
    (test-equal '() (guix-configuration-extra-options c))
    (test-equal "/var/log/guix-daemon.log" (guix-configuration-log-file c))
    (test-eq #f (guix-http-proxy c))
    (test-eq #f (guix-tmpdir c))
    (test-eq #t (guix-configuration-privileged? c))
    (test-equal '() (guix-configuration-build-machines c))
    (test-equal '() (guix-configuration-environment c))
    (test-eqv #o755 (guix-configuration-socket-directory-permissions c)))
  ;; guix-service-type is extensible with guix-extension records
  (let* ((key 'my-key)
         (folded (fold-services
                  (instantiate-missing-services
                   (cons* (service guix-service-type)
                          (simple-service 'more-guix guix-service-type
                                          (guix-extension
                                           (authorized-keys (list key))
                                           (substitute-urls '("https://example.org"))))
                          essentials))
                  #:target-type guix-service-type))
         (config (service-value folded)))
    (test-eq key (car (guix-configuration-authorized-keys config)))
    (test-equal "https://example.org" (car (guix-configuration-substitute-urls config))))
  ;; build users and the build group
  (let ((accounts ((service-extension-compute
                    (find (lambda (e)
                            (eq? account-service-type (service-extension-target e)))
                          (service-type-extensions guix-service-type)))
                   (guix-configuration (build-accounts 2)))))
    (test-equal '("guixbuild" "guixbuilder01" "guixbuilder02")
      (map (lambda (a) (if (user-group? a) (user-group-name a) (user-account-name a)))
           accounts))
    (test-eqv 30000 (user-group-id (car accounts)))))

(test-group "service type names and defaults"
  (test-equal '(guix syslog login mingetty agetty nscd udev urandom-seed
                static-networking file-systems root-file-system fstab etc-hosts
                console-fonts virtual-terminal host-name log-rotation
                log-cleanup sysctl guix-publish gpm rngd swap)
    (map service-type-name
         (list guix-service-type syslog-service-type login-service-type
               mingetty-service-type agetty-service-type nscd-service-type
               udev-service-type urandom-seed-service-type
               static-networking-service-type file-system-service-type
               root-file-system-service-type fstab-service-type hosts-service-type
               console-font-service-type virtual-terminal-service-type
               host-name-service-type log-rotation-service-type
               log-cleanup-service-type sysctl-service-type
               guix-publish-service-type gpm-service-type rngd-service-type
               swap-service-type)))
  (test-assert (syslog-configuration? (service-type-default-value syslog-service-type)))
  (test-assert (nscd-configuration? (service-type-default-value nscd-service-type)))
  (test-eqv 4 (length %nscd-default-caches))
  (test-equal '("tty1")
    (list (mingetty-configuration-tty (mingetty-configuration (tty "tty1")))))
  (test-equal '(user-processes host-name udev virtual-terminal)
    (mingetty-configuration-shepherd-requirement (mingetty-configuration (tty "tty1"))))
  (test-equal '(("fs.protected_hardlinks" . "1") ("fs.protected_symlinks" . "1"))
    %default-sysctl-settings)
  (test-equal "address '10.0.0.1' lacks a network mask"
    (message-of (lambda () (network-address (device "eth0") (value "10.0.0.1")))))
  (test-equal "host name 'a b' contains invalid characters"
    (message-of (lambda () (host "127.0.0.1" "a b")))))

(test-group "networking"
  (test-equal '(loopback) (static-networking-provision %loopback-static-networking))
  (test-equal '() (static-networking-requirement %loopback-static-networking))
  (let ((address (car (static-networking-addresses %loopback-static-networking))))
    (test-equal "lo" (network-address-device address))
    (test-equal "127.0.0.1/8" (network-address-value address))
    (test-eq #f (network-address-ipv6? address)))
  (test-eq #t (network-address-ipv6? (network-address (device "eth0")
                                                      (value "fe80::1/64"))))
  (test-assert (member "loopback"
                       (provisions (list (service static-networking-service-type
                                                  (list %loopback-static-networking))))))
  (test-eq 'dhcp-client (service-type-name dhcp-client-service-type))
  (test-equal '(user-processes udev)
    (requirements-of 'networking (list (service dhcp-client-service-type)
                                       (service (shepherd-service-type
                                                 'fake-udev
                                                 (lambda (_)
                                                   (shepherd-service
                                                    (provision '(udev))))
                                                 #f
                                                 (description "udev"))))))
  (test-eq 'all (dhcp-client-configuration-interfaces (dhcp-client-configuration))))

;; The services of Guix 1.5's %base-services/hurd, with the loopback
;; interface the seed's bare-hurd.tmpl needs (see the vectors' README).
(define hurd-services
  (append (list (service hurd-console-service-type
                         (hurd-console-configuration))
                (service guix-service-type
                         (guix-configuration
                          (extra-options '("--disable-chroot"
                                           "--disable-deduplication"))))
                (service special-files-service-type
                         '(("/bin/sh" sh) ("/usr/bin/env" env)))
                (service syslog-service-type)
                (service static-networking-service-type
                         (list %loopback-static-networking)))
          (map (lambda (n)
                 (service hurd-getty-service-type
                          (hurd-getty-configuration
                           (tty (string-append "tty" (number->string n))))))
               (iota 6 1))))

(test-group "hurd"
  (test-eq 'console (service-type-name hurd-console-service-type))
  (test-eq 'getty (service-type-name hurd-getty-service-type))
  (test-eqv 38400 (hurd-getty-configuration-baud-rate
                   (hurd-getty-configuration (tty "tty1"))))
  (test-equal "no value specified for service of type 'getty'"
    (message-of (lambda () (service hurd-getty-service-type))))
  ;; the shepherd services of Guix 1.5's shepherd graph for bare-hurd.tmpl,
  ;; without OpenSSH, plus loopback
  (test-equal '("console" "file-systems" "guix-daemon" "guix-ownership"
                "host-name" "log-rotation" "loopback" "pam" "root-file-system"
                "syslogd" "term-tty1" "term-tty2" "term-tty3" "term-tty4"
                "term-tty5" "term-tty6" "user-file-systems" "user-homes"
                "user-processes")
    (provisions hurd-services))
  (test-equal '(user-processes console) (requirements-of 'term-tty4 hurd-services))
  (test-equal '(user-processes) (requirements-of 'console hurd-services))
  (test-equal '(user-processes) (requirements-of 'syslogd hurd-services))
  (test-equal '(user-processes) (requirements-of 'log-rotation hurd-services))
  (test-equal '() (requirements-of 'loopback hurd-services))
  (test-equal '("--disable-chroot" "--disable-deduplication")
    (guix-configuration-extra-options
     (service-value (find (lambda (s) (eq? guix-service-type (service-kind s)))
                          hurd-services))))
  ;; the extension edges of Guix's extension graph for these types
  (test-equal '((console shepherd-root) (getty shepherd-root)
                (guix shepherd-root account activate profile)
                (special-files activate)
                (syslog shepherd-root log-rotation etc)
                (static-networking shepherd-root etc)
                (log-rotation shepherd-root)
                (file-systems shepherd-root fstab profile user-processes)
                (root-file-system shepherd-root)
                (fstab etc)
                (user-processes shepherd-root))
    (map (lambda (t)
           (cons (service-type-name t)
                 (map (lambda (e) (service-type-name (service-extension-target e)))
                      (service-type-extensions t))))
         (list hurd-console-service-type hurd-getty-service-type guix-service-type
               special-files-service-type syslog-service-type
               static-networking-service-type log-rotation-service-type
               file-system-service-type root-file-system-service-type
               fstab-service-type user-processes-service-type))))

(test-end "gnu-services-base")
