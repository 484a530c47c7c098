;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu services networking): the DHCP client, as in GNU Guix 1.5, and the
;;; static networking of (gnu services base), which Guix users often find
;;; here.  (The many other networking services of Guix are not modelled.)

(define-module (gnu services networking)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services base)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages admin) #:select (isc-dhcp))
  #:re-export (static-networking
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
               %qemu-static-networking)
  #:export (dhcp-client-configuration
            dhcp-client-configuration?
            dhcp-client-configuration-package
            dhcp-client-configuration-shepherd-requirement
            dhcp-client-configuration-shepherd-provision
            dhcp-client-configuration-config-file
            dhcp-client-configuration-interfaces
            dhcp-client-configuration-version
            dhcp-client-service-type))

(define-record-type* <dhcp-client-configuration>
  dhcp-client-configuration make-dhcp-client-configuration
  dhcp-client-configuration?
  (package              dhcp-client-configuration-package ;file-like
                        (default isc-dhcp))
  (shepherd-requirement dhcp-client-configuration-shepherd-requirement
                        (default '()))            ;list of symbols
  (shepherd-provision   dhcp-client-configuration-shepherd-provision
                        (default '(networking)))  ;list of symbols
  (config-file          dhcp-client-configuration-config-file
                        (default #f))             ;file-like | #f
  (interfaces           dhcp-client-configuration-interfaces
                        (default 'all))           ;'all | list of strings
  (version              dhcp-client-configuration-version
                        (default "4")))           ;"4", "6" or "4o6"

(define (dhcp-client-shepherd-service config)
  (let* ((version (dhcp-client-configuration-version config))
         ;; Distinct PID files let several versions run side by side.
         (pid-file (if (string=? version "4")
                       "/var/run/dhclient.pid"
                       (string-append "/var/run/dhclient-" version ".pid")))
         (interfaces (dhcp-client-configuration-interfaces config))
         (config-file (dhcp-client-configuration-config-file config)))
    (list (shepherd-service
           (documentation "Set up networking via DHCP.")
           (requirement `(user-processes udev
                                         ,@(dhcp-client-configuration-shepherd-requirement
                                            config)))
           (provision (dhcp-client-configuration-shepherd-provision config))
           ;; '-nw' does not wait for a lease, so the interface may not be
           ;; up yet when the service has started.
           (start #~(lambda _
                      ;; dhclient alone only looks at interfaces that are
                      ;; up: find and raise them here.
                      (define (usable? interface)
                        (and (arp-network-interface? interface)
                             (not (loopback-network-interface? interface))
                             (false-if-exception
                              (set-network-interface-up interface))))
                      (let ((interfaces
                             (filter usable?
                                     #$(if (eq? interfaces 'all)
                                           #~(all-network-interface-names)
                                           #~'#$interfaces))))
                        (false-if-exception (delete-file #$pid-file))
                        (and (zero? (spawn-command
                                     (append
                                      (list (string-append
                                             #$(dhcp-client-configuration-package
                                                config)
                                             "/sbin/dhclient")
                                            ;; ISC's own DDNS is not what
                                            ;; other DHCP servers speak.
                                            "-nw" "-I"
                                            #$(string-append "-" version)
                                            "-pf" #$pid-file)
                                      #$(if config-file
                                            #~(list "-cf" #$config-file)
                                            #~'())
                                      interfaces)))
                             (read-pid-file #$pid-file)))))
           (stop #~(make-kill-destructor))))))

(define dhcp-client-service-type
  (service-type (name 'dhcp-client)
                (extensions
                 (list (service-extension shepherd-root-service-type
                                          dhcp-client-shepherd-service)))
                (default-value (dhcp-client-configuration))
                (description "Run @command{dhcp}, a Dynamic Host Configuration
Protocol (DHCP) client, on all the non-loopback network interfaces.")))

;;; networking.scm ends here
