;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system pam): the pluggable authentication modules (PAM)
;;; configuration, and the system-wide environment variables.
;;;
;;; The model of GNU Guix 1.5's module of the same name: <pam-service> and
;;; <pam-entry> records, the standard Unix PAM services, the 'pam' root
;;; service that collects them into /etc/pam.d, and the session environment
;;; service that writes /etc/environment.

(define-module (gnu system pam)
  #:use-module (guix records)
  #:use-module (guix gexp)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system setuid)
  #:use-module (gnu packages linux)
  #:use-module (ice-9 match)
  #:use-module (srfi srfi-1)
  #:export (pam-service
            pam-service?
            pam-service-name
            pam-service-account
            pam-service-auth
            pam-service-password
            pam-service-session

            pam-entry
            pam-entry?
            pam-entry-control
            pam-entry-module
            pam-entry-arguments

            pam-limits-entry
            pam-limits-entry?
            pam-limits-entry-domain
            pam-limits-entry-type
            pam-limits-entry-item
            pam-limits-entry-value
            pam-limits-entry->string

            pam-services->directory
            unix-pam-service
            base-pam-services

            session-environment-service
            session-environment-service-type

            pam-extension
            pam-extension?
            pam-extension-transformer
            pam-extension-shepherd-requirements

            pam-root-service-type
            pam-root-service))

;; PAM services (see
;; <http://www.linux-pam.org/Linux-PAM-html/sag-configuration-file.html>.)
(define-record-type* <pam-service> pam-service
  make-pam-service
  pam-service?
  (name       pam-service-name)                   ; string

  ;; The four "management groups".
  (account    pam-service-account                 ; list of <pam-entry>
              (default '()))
  (auth       pam-service-auth
              (default '()))
  (password   pam-service-password
              (default '()))
  (session    pam-service-session
              (default '())))

(define-record-type* <pam-entry> pam-entry
  make-pam-entry
  pam-entry?
  (control    pam-entry-control)         ; string
  (module     pam-entry-module)          ; file name
  (arguments  pam-entry-arguments        ; list of string-valued g-expressions
              (default '())))

;; PAM limits entries, for pam_limits: resource limits of user sessions.
(define-record-type <pam-limits-entry>
  (make-pam-limits-entry domain type item value)
  pam-limits-entry?
  (domain     pam-limits-entry-domain)   ; string
  (type       pam-limits-entry-type)     ; symbol
  (item       pam-limits-entry-item)     ; symbol
  (value      pam-limits-entry-value))   ; symbol or number

(define (pam-limits-entry domain type item value)
  "Construct a pam-limits-entry ensuring that the provided values are valid."
  (define (valid? value)
    (case item
      ((priority) (number? value))
      ((nice)     (and (number? value)
                       (>= value -20)
                       (<= value 19)))
      (else       (or (and (number? value)
                           (>= value -1))
                      (member value '(unlimited infinity))))))
  (define items
    '(core data fsize memlock nofile rss stack cpu nproc as maxlogins
      maxsyslogins priority locks sigpending msgqueue nice rtprio))
  (when (not (member type '(hard soft both)))
    (error "invalid limit type" type))
  (when (not (member item items))
    (error "invalid limit item" item))
  (when (not (valid? value))
    (error "invalid limit value" value))
  (make-pam-limits-entry domain type item value))

(define (pam-limits-entry->string entry)
  "Convert a pam-limits-entry record to a line of limits.conf."
  (string-join (list (pam-limits-entry-domain entry)
                     (if (eq? (pam-limits-entry-type entry) 'both)
                         "-"
                         (symbol->string (pam-limits-entry-type entry)))
                     (symbol->string (pam-limits-entry-item entry))
                     (let ((value (pam-limits-entry-value entry)))
                       (if (symbol? value)
                           (symbol->string value)
                           (number->string value))))
               "\t"))

(define (pam-service->configuration service)
  "Return the file-like object of the configuration file for SERVICE, to be
/etc/pam.d/NAME, where NAME is the name of SERVICE."
  (define (entry->gexp type entry)
    #~(format #t "~a ~a ~a ~a~%"
              #$type #$(pam-entry-control entry) #$(pam-entry-module entry)
              (string-join (list #$@(pam-entry-arguments entry)))))

  (define builder
    #~(begin
        (with-output-to-file #$output
          (lambda ()
            #$@(append (map (lambda (e) (entry->gexp "account" e))
                            (pam-service-account service))
                       (map (lambda (e) (entry->gexp "auth" e))
                            (pam-service-auth service))
                       (map (lambda (e) (entry->gexp "password" e))
                            (pam-service-password service))
                       (map (lambda (e) (entry->gexp "session" e))
                            (pam-service-session service)))
            #t))))

  (computed-file (pam-service-name service) builder))

(define (pam-services->directory services)
  "Return the file-like object of the /etc/pam.d directory for SERVICES."
  (let ((names (map pam-service-name services))
        (files (map pam-service->configuration services)))
    (define builder
      #~(begin
          (use-modules (ice-9 match)
                       (srfi srfi-1))

          (mkdir #$output)
          (for-each (match-lambda
                      ((name file)
                       (symlink file (string-append #$output "/" name))))

                    ;; <pam-service> objects hold gexps, which hold
                    ;; closures, so duplicates are removed on the build side.
                    (delete-duplicates '#$(zip names files)))))

    (computed-file "pam.d" builder)))

(define %pam-other-services
  ;; The "other" PAM configuration, which denies everything.
  (let ((deny (pam-entry
               (control "required")
               (module "pam_deny.so"))))
    (pam-service
     (name "other")
     (account (list deny))
     (auth (list deny))
     (password (list deny))
     (session (list deny)))))

(define unix-pam-service
  (let ((unix (pam-entry
               (control "required")
               (module "pam_unix.so")))
        (env  (pam-entry ; to honor /etc/environment.
               (control "required")
               (module "pam_env.so"))))
    (lambda* (name #:key allow-empty-passwords? allow-root? motd
              login-uid? gnupg?)
      "Return a standard Unix-style PAM service for NAME.  When
ALLOW-EMPTY-PASSWORDS? is true, allow empty passwords.  When ALLOW-ROOT? is
true, allow root to run the command without authentication.  When MOTD is
true, it should be a file-like object used as the message-of-the-day.
When LOGIN-UID? is true, require the 'pam_loginuid' module.  When GNUPG? is
true, require the 'pam_gnupg.so' module."
      (define (pam-gnupg-module)
        (file-append (module-ref (resolve-interface '(gnu packages gnupg))
                                 'pam-gnupg)
                     "/lib/security/pam_gnupg.so"))
      (pam-service
       (name name)
       (account (list unix))
       (auth (append (if allow-root?
                         (list (pam-entry
                                (control "sufficient")
                                (module "pam_rootok.so")))
                         '())
                     (list (if allow-empty-passwords?
                               (pam-entry
                                (control "required")
                                (module "pam_unix.so")
                                (arguments '("nullok")))
                               unix))
                     (if gnupg?
                         (list (pam-entry
                                (control "required")
                                (module (pam-gnupg-module))))
                         '())))
       (password (list (pam-entry
                        (control "required")
                        (module "pam_unix.so")
                        ;; Store SHA-512 encrypted passwords in /etc/shadow.
                        (arguments '("sha512" "shadow")))))
       (session `(,@(if motd
                        (list (pam-entry
                               (control "optional")
                               (module "pam_motd.so")
                               (arguments
                                (list #~(string-append "motd=" #$motd)))))
                        '())
                  ,@(if login-uid?
                        (list (pam-entry       ;to fill in /proc/self/loginuid
                               (control "required")
                               (module "pam_loginuid.so")))
                        '())
                  ,@(if gnupg?
                        (list (pam-entry
                               (control "required")
                               (module (pam-gnupg-module))))
                        '())
                  ,env ,unix))))))

(define (rootok-pam-service command)
  "Return a PAM service for COMMAND such that 'root' does not need to
authenticate to run COMMAND."
  (let ((unix (pam-entry
               (control "required")
               (module "pam_unix.so"))))
    (pam-service
     (name command)
     (account (list unix))
     (auth (list (pam-entry
                  (control "sufficient")
                  (module "pam_rootok.so"))))
     (password (list unix))
     (session (list unix)))))

(define* (base-pam-services #:key allow-empty-passwords?)
  "Return the list of basic PAM services everyone would want."
  (append (list %pam-other-services)

          ;; These programs are setuid-root.
          (map (lambda (name)
                 (unix-pam-service name
                                   #:allow-empty-passwords?
                                   allow-empty-passwords?))
               '("passwd" "chfn" "sudo"))
          ;; This is setuid-root, as well.  Allow root to run "su" without
          ;; authenticating.
          (list (unix-pam-service "su"
                                  #:allow-empty-passwords? allow-empty-passwords?
                                  #:allow-root? #t))

          ;; Not setuid-root, and root must run them without authenticating
          ;; ('useradd' and 'groupadd' run during system activation).
          (map rootok-pam-service
               '("useradd" "userdel" "usermod"
                 "groupadd" "groupdel" "groupmod"))))


;;;
;;; System-wide environment variables.
;;;

(define (environment-variables->environment-file vars)
  "Return a file for pam_env(8) that contains environment variables VARS."
  (apply mixed-text-file "environment"
         (append-map (lambda (pair)
                       (list (car pair) "=" (cdr pair) "\n"))
                     vars)))

(define session-environment-service-type
  (service-type
   (name 'session-environment)
   (extensions
    (list (service-extension
           etc-service-type
           (lambda (vars)
             (list `("environment"
                     ,(environment-variables->environment-file vars)))))))
   (compose concatenate)
   (extend append)
   (description
    "Populate @file{/etc/environment}, which is honored by @code{pam_env},
with the specified environment variables.  The value of this service is a list
of name/value pairs for environments variables, such as:

@example
'((\"TZ\" . \"Canada/Pacific\"))
@end example\n")))

(define (session-environment-service vars)
  "Return a service that builds the @file{/etc/environment}, which can be read
by PAM-aware applications to set environment variables for sessions.

VARS should be an association list in which both the keys and the values are
strings or string-valued gexps."
  (service session-environment-service-type vars))


;;;
;;; PAM root service.
;;;

;; Extension of the PAM configuration: a procedure acting on each PAM
;; service, and the Shepherd services the meta 'pam' service depends on.
(define-record-type* <pam-extension>
  pam-extension make-pam-extension pam-extension?
  (transformer pam-extension-transformer)
  (shepherd-requirements pam-extension-shepherd-requirements
                         (default '())))

;; Overall PAM configuration: a list of services, procedures that each take
;; a <pam-service> and return one (cross-cutting concerns such as elogind's
;; session module), and Shepherd requirements.
(define-record-type* <pam-configuration>
  pam-configuration make-pam-configuration pam-configuration?
  (services  pam-configuration-services)          ;list of <pam-service>
  (transformers pam-configuration-transformers)   ;list of procedures
  (shepherd-requirements pam-configuration-shepherd-requirements)) ;symbols

(define (/etc-entry config)
  "Return the /etc/pam.d entry corresponding to CONFIG."
  (let ((services (map (apply compose identity
                              (pam-configuration-transformers config))
                       (pam-configuration-services config))))
    `(("pam.d" ,(pam-services->directory services)))))

(define (pam-shepherd-service config)
  "Return the PAM synchronization shepherd service corresponding to CONFIG."
  (list (shepherd-service
         (documentation "Synchronization point for services that need to be
started for PAM to work.")
         (provision '(pam))
         (requirement (pam-configuration-shepherd-requirements config))
         (start #~(const #t))
         (stop #~(const #t)))))

(define (extend-configuration initial extensions)
  "Extend INITIAL with EXTENSIONS: <pam-service> records and <pam-extension>
records (or, deprecated, bare transformer procedures)."
  (define cleaned-extensions
    (map (lambda (ext)
           (if (procedure? ext)
               (begin
                 (format (current-error-port)
                         "warning: 'pam-root-service-type' extensions should \
now use the <pam-extension> record~%")
                 (pam-extension (transformer ext)))
               ext))
         extensions))

  (let-values (((services pam-extensions)
                (partition pam-service? cleaned-extensions)))
    (pam-configuration
     (services (append (pam-configuration-services initial)
                       services))
     (transformers (append (pam-configuration-transformers initial)
                           (map pam-extension-transformer pam-extensions)))
     (shepherd-requirements
      (append (pam-configuration-shepherd-requirements initial)
              (append-map pam-extension-shepherd-requirements pam-extensions))))))

(define pam-root-service-type
  (service-type (name 'pam)
                (extensions
                 (list (service-extension
                        setuid-program-service-type
                        (lambda (_)
                          (list (file-like->setuid-program
                                 (file-append linux-pam "/sbin/unix_chkpwd")))))
                       (service-extension etc-service-type /etc-entry)
                       (service-extension shepherd-root-service-type
                                          pam-shepherd-service)))

                ;; Arguments include <pam-service> as well as procedures.
                (compose concatenate)
                (extend extend-configuration)
                (description
                 "Configure the Pluggable Authentication Modules (PAM) for all
the specified @dfn{PAM services}.  Each PAM service corresponds to a program,
such as @command{login} or @command{sshd}, and specifies for instance how the
program may authenticate users or what it should do when opening a new
session.")))

(define* (pam-root-service base #:key (transformers '())
                           (shepherd-requirements '()))
  "The \"root\" PAM service, which collects <pam-service> instances and turns
them into a /etc/pam.d directory, including the <pam-service> listed in BASE.
TRANSFORMERS are procedures that take a <pam-service> and return a
<pam-service>, for concerns that affect all the PAM services."
  (service pam-root-service-type
           (pam-configuration (services base)
                              (transformers transformers)
                              (shepherd-requirements shepherd-requirements))))
