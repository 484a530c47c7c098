;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system nss): libc's name service switch (NSS) configuration.
;;;
;;; The model of GNU Guix 1.5's module of the same name.  Guix checks lookup
;;; statuses and actions with R6RS enumerations; schemos checks them against
;;; the same lists of symbols.

(define-module (gnu system nss)
  #:use-module (guix records)
  #:use-module (srfi srfi-9)
  #:export (name-service-switch?
            name-service-switch
            name-service?
            name-service

            lookup-specification
            mdns-host-lookup-nss

            %default-nss
            %mdns-host-lookup-nss

            %files
            %compat
            %dns

            name-service-switch->string))

(define-record-type* <name-service> name-service
  make-name-service
  name-service?
  (name     name-service-name)
  (reaction name-service-reaction
            (default (lookup-specification))))

;; Lookup specification (info "(libc) Actions in the NSS Configuration").

(define (lookup-action action)
  (if (memq action '(return continue))
      action
      (error "invalid NSS lookup action" action)))

(define (lookup-status status)
  (if (memq status '(success not-found unavailable try-again))
      status
      (error "invalid NSS lookup status" status)))

(define-record-type <lookup-status-negation>
  (lookup-status-negation status)
  lookup-status-negation?
  (status lookup-status-negation-status))

(define-record-type <lookup-reaction>
  (make-lookup-reaction status action)
  lookup-reaction?
  (status  lookup-reaction-status)
  (action  lookup-reaction-action))

(define-syntax lookup-reaction
  (syntax-rules (not =>)
    ((_ ((not status) => action))
     (make-lookup-reaction (lookup-status-negation (lookup-status 'status))
                           (lookup-action 'action)))
    ((_ (status => action))
     (make-lookup-reaction (lookup-status 'status)
                           (lookup-action 'action)))))

(define-syntax-rule (lookup-specification reaction ...)
  (list (lookup-reaction reaction) ...))


;;;
;;; Common name services and default NSS configuration.
;;;

(define %compat
  ;; libc stopped providing libnss_compat in 2.26; kept for compatibility.
  (name-service
    (name "compat")
    (reaction (lookup-specification (not-found => return)))))

(define %files
  (name-service (name "files")))

(define %dns
  ;; DNS is authoritative: unless it is unavailable, return what it finds.
  (name-service
    (name "dns")
    (reaction (lookup-specification ((not unavailable) => return)))))

;; Every NSS database, so that a configuration can only name existing ones.
;; 'files' comes before 'dns' for hosts and networks (libc has it the other
;; way round) so that /etc/hosts can override DNS.
(define-record-type* <name-service-switch> name-service-switch
  make-name-service-switch
  name-service-switch?
  (aliases    name-service-switch-aliases
              (default '()))
  (ethers     name-service-switch-ethers
              (default '()))
  (group      name-service-switch-group
              (default (list %files)))
  (gshadow    name-service-switch-gshadow
              (default '()))
  (hosts      name-service-switch-hosts
              (default (list %files %dns)))
  (initgroups name-service-switch-initgroups
              (default '()))
  (netgroup   name-service-switch-netgroup
              (default '()))
  (networks   name-service-switch-networks
              (default (list %files %dns)))
  (password   name-service-switch-password
              (default (list %files)))
  (public-key name-service-switch-public-key
              (default '()))
  (rpc        name-service-switch-rpc
              (default '()))
  (services   name-service-switch-services
              (default '()))
  (shadow     name-service-switch-shadow
              (default (list %files))))

(define %default-nss
  ;; Default NSS configuration.
  (name-service-switch))

(define* (mdns-host-lookup-nss #:key (ipv6? #t) (ipv4? #t))
  "An NSS configuration that resolves host names with mDNS as well."
  (let ((flavour (cond ((and ipv6? ipv4?) "mdns")
                       (ipv6? "mdns6")
                       (ipv4? "mdns4")
                       (else (error "No protocols enabled for mDNS lookups.")))))
    (name-service-switch
      (hosts (list %files                         ;first, check /etc/hosts

                   ;; Then 'mdns_minimal', authoritative for '.local'.
                   (name-service
                     (name (string-append flavour "_minimal"))
                     (reaction (lookup-specification
                                (not-found => return))))

                   ;; Then fall back to DNS.
                   (name-service
                     (name "dns"))

                   ;; Finally, try with the "full" 'mdns'.
                   (name-service
                     (name flavour)))))))

(define %mdns-host-lookup-nss (mdns-host-lookup-nss))


;;;
;;; Serialization.
;;;

(define (lookup-status->string status)
  (if (lookup-status-negation? status)
      (string-append "!" (lookup-status->string
                          (lookup-status-negation-status status)))
      (case status
        ((success)     "SUCCESS")
        ((not-found)   "NOTFOUND")
        ((unavailable) "UNAVAIL")
        ((try-again)   "TRYAGAIN"))))

(define (lookup-reaction->string reaction)
  (string-append (lookup-status->string (lookup-reaction-status reaction)) "="
                 (symbol->string (lookup-reaction-action reaction))))

(define (name-service->string service)
  (let ((reactions (name-service-reaction service)))
    (if (null? reactions)
        (name-service-name service)
        (string-append (name-service-name service) " ["
                       (string-join (map lookup-reaction->string reactions))
                       "]"))))

(define (name-service-switch->string nss)
  "Return the 'nsswitch.conf' contents for NSS as a string.  See \"NSS
Configuration File\" in the libc manual."
  (define (line name field)
    (let ((services (field nss)))
      (if (null? services)
          ""                                      ;keep libc's default
          (string-append name ":\t"
                         (string-join (map name-service->string services))
                         "\n"))))
  (string-append (line "aliases"    name-service-switch-aliases)
                 (line "ethers"     name-service-switch-ethers)
                 (line "group"      name-service-switch-group)
                 (line "gshadow"    name-service-switch-gshadow)
                 (line "hosts"      name-service-switch-hosts)
                 (line "initgroups" name-service-switch-initgroups)
                 (line "netgroup"   name-service-switch-netgroup)
                 (line "networks"   name-service-switch-networks)
                 (line "passwd"     name-service-switch-password)
                 (line "publickey"  name-service-switch-public-key)
                 (line "rpc"        name-service-switch-rpc)
                 (line "services"   name-service-switch-services)
                 (line "shadow"     name-service-switch-shadow)))
