;;; schemos — (gnu services ssh): the OpenSSH daemon as a Guix service.
;;;
;;; This models the module of the same name in GNU Guix 1.5: the
;;; <openssh-configuration> record with every field and default Guix has,
;;; `openssh-service-type' with its five extensions (shepherd, PAM,
;;; activation, accounts, system profile), and the sshd_config file.
;;;
;;; Two things are schemos extensions, so that tests and the image builder
;;; can look at what Guix would only produce at build time:
;;;
;;;   - `openssh-configuration->string' returns the exact text of the
;;;     sshd_config file that `openssh-config-file' builds;
;;;   - `openssh-config-file' (internal in Guix) is exported.
;;;
;;; The gexps below (the sshd_config builder, the activation snippet, the
;;; shepherd start/stop code) are data that end up in the store: their text
;;; decides the derivations' hashes, so they are written exactly as Guix 1.5
;;; writes them.  The Scheme that runs in schemos is our own.

(define-module (gnu services ssh)
  #:use-module (gnu packages ssh)
  #:use-module (gnu packages admin)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system pam)
  #:use-module (gnu system shadow)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (srfi srfi-1)
  #:export (openssh-configuration
            openssh-configuration?
            openssh-configuration-openssh
            openssh-configuration-pid-file
            openssh-configuration-port-number
            openssh-configuration-max-connections
            openssh-configuration-permit-root-login
            openssh-configuration-allow-empty-passwords?
            openssh-configuration-password-authentication?
            openssh-configuration-public-key-authentication?
            openssh-configuration-x11-forwarding?
            openssh-configuration-allow-agent-forwarding?
            openssh-configuration-allow-tcp-forwarding?
            openssh-configuration-gateway-ports?
            openssh-configuration-challenge-response-authentication?
            openssh-configuration-use-pam?
            openssh-configuration-print-last-log?
            openssh-configuration-subsystems
            openssh-configuration-accepted-environment
            openssh-configuration-log-level
            openssh-configuration-extra-content
            openssh-configuration-authorized-keys
            openssh-configuration-generate-host-keys?
            openssh-service-type

            ;; schemos extensions
            openssh-configuration->string
            openssh-config-file))


;;;
;;; The configuration record.
;;;

(define-record-type* <openssh-configuration>
  openssh-configuration make-openssh-configuration
  openssh-configuration?
  (openssh                openssh-configuration-openssh          ;file-like
                          (default openssh))
  (pid-file               openssh-configuration-pid-file         ;string
                          (default "/var/run/sshd.pid"))
  (port-number            openssh-configuration-port-number      ;integer
                          (default 22))
  ;; Connections accepted at once when shepherd listens for sshd
  ;; (inetd style).
  (max-connections        openssh-configuration-max-connections  ;integer
                          (default 200))
  ;; #t, #f, 'prohibit-password, or the deprecated 'without-password.
  (permit-root-login      openssh-configuration-permit-root-login
                          (default #f))
  (allow-empty-passwords? openssh-configuration-allow-empty-passwords?
                          (default #f))
  (password-authentication? openssh-configuration-password-authentication?
                            (default #t))
  (public-key-authentication?
   openssh-configuration-public-key-authentication?
   (default #t))
  (x11-forwarding?        openssh-configuration-x11-forwarding?
                          (default #f))
  (allow-agent-forwarding? openssh-configuration-allow-agent-forwarding?
                           (default #t))
  (allow-tcp-forwarding?  openssh-configuration-allow-tcp-forwarding?
                          (default #t))
  (gateway-ports?         openssh-configuration-gateway-ports?
                          (default #f))
  (challenge-response-authentication?
   openssh-configuration-challenge-response-authentication?
   (default #f))
  (use-pam?               openssh-configuration-use-pam?
                          (default #t))
  (print-last-log?        openssh-configuration-print-last-log?
                          (default #t))
  ;; List of (NAME COMMAND) lists.
  (subsystems             openssh-configuration-subsystems
                          (default '(("sftp" "internal-sftp"))))
  ;; List of environment variable names sshd accepts from clients.
  (accepted-environment   openssh-configuration-accepted-environment
                          (default '()))
  ;; A symbol: quiet, fatal, error, info, verbose, debug, ...
  (log-level              openssh-configuration-log-level
                          (default 'info))
  ;; Text appended verbatim to sshd_config: the escape hatch for every
  ;; option this record does not have.
  (extra-content          openssh-configuration-extra-content
                          (default ""))
  ;; List of (USER-NAME FILE-LIKE ...) lists.
  (authorized-keys        openssh-configuration-authorized-keys
                          (default '()))
  (generate-host-keys?    openssh-configuration-generate-host-keys?
                          (default #t))
  ;; Internal and undocumented, as in Guix: the installation image uses it
  ;; to keep sshd from starting at boot.
  (%auto-start?           openssh-auto-start?
                          (default #t)))


;;;
;;; sshd_config.
;;;

(define (yes/no value)
  "Return the sshd_config spelling of the Boolean VALUE."
  (if value "yes" "no"))

(define (permit-root-login->string value)
  "Return the PermitRootLogin keyword for VALUE, the permit-root-login field."
  (cond ((eq? value #t) "yes")
        ((eq? value #f) "no")
        ((eq? value 'prohibit-password) "prohibit-password")
        ((eq? value 'without-password)
         ;; OpenSSH renamed the keyword; Guix still accepts the old one and
         ;; says so each time the file is computed.
         (format (current-error-port)
                 "warning: '~a' is deprecated, use '~a' instead~%"
                 'without-password 'prohibit-password)
         "prohibit-password")
        (else
         (error "openssh-configuration: invalid permit-root-login value \
(expected #t, #f or 'prohibit-password)" value))))

(define (log-level->string level)
  "Return the LogLevel keyword for the symbol LEVEL, e.g. 'info -> \"INFO\"."
  (string-upcase (symbol->string level)))

(define %authorized-keys-file-line
  ;; Guix writes this line from a string broken with backslash-newline; with
  ;; Guile's default reader options the space that starts the continuation
  ;; line is kept, hence the two spaces after the keyword.
  "AuthorizedKeysFile  .ssh/authorized_keys .ssh/authorized_keys2 \
/etc/ssh/authorized_keys.d/%u\n")

(define (check-subsystem subsystem)
  "Return SUBSYSTEM if it is a two-element (NAME COMMAND) list, else fail."
  (if (and (list? subsystem) (= 2 (length subsystem)))
      subsystem
      (error "openssh-configuration: a subsystem is a (NAME COMMAND) list"
             subsystem)))

(define (openssh-configuration->string config)
  "Return the text of the sshd_config file that Guix generates for CONFIG,
an <openssh-configuration>, byte for byte.  File-like objects given as
subsystem commands are written with `display' (their store file names are
only known once lowering exists)."
  (call-with-output-string
    (lambda (port)
      (define (line keyword value)
        (format port "~a ~a\n" keyword value))

      (display "# Generated by 'openssh-service'.\n" port)
      (line "Port" (number->string (openssh-configuration-port-number config)))
      (line "PermitRootLogin"
            (permit-root-login->string
             (openssh-configuration-permit-root-login config)))
      (line "PermitEmptyPasswords"
            (yes/no (openssh-configuration-allow-empty-passwords? config)))
      (line "PasswordAuthentication"
            (yes/no (openssh-configuration-password-authentication? config)))
      (line "PubkeyAuthentication"
            (yes/no (openssh-configuration-public-key-authentication? config)))
      (line "X11Forwarding"
            (yes/no (openssh-configuration-x11-forwarding? config)))
      (line "AllowAgentForwarding"
            (yes/no (openssh-configuration-allow-agent-forwarding? config)))
      (line "AllowTcpForwarding"
            (yes/no (openssh-configuration-allow-tcp-forwarding? config)))
      (line "GatewayPorts"
            (yes/no (openssh-configuration-gateway-ports? config)))
      (line "PidFile" (openssh-configuration-pid-file config))
      (line "ChallengeResponseAuthentication"
            (yes/no (openssh-configuration-challenge-response-authentication?
                     config)))
      (line "UsePAM" (yes/no (openssh-configuration-use-pam? config)))
      (line "PrintLastLog"
            (yes/no (openssh-configuration-print-last-log? config)))
      (line "LogLevel"
            (log-level->string (openssh-configuration-log-level config)))
      (display %authorized-keys-file-line port)
      (for-each (lambda (variable) (line "AcceptEnv" variable))
                (openssh-configuration-accepted-environment config))
      (for-each (lambda (subsystem)
                  (let ((subsystem (check-subsystem subsystem)))
                    (format port "Subsystem\t~a\t~a\n"
                            (first subsystem) (second subsystem))))
                (openssh-configuration-subsystems config))
      (format port "~a\n" (openssh-configuration-extra-content config)))))

(define (openssh-config-file config)
  "Return the sshd_config file for CONFIG: a computed-file named
\"sshd_config\" whose builder writes `openssh-configuration->string''s text."
  ;; Every value is computed now and spliced in with #$, so the builder only
  ;; prints constants; its text is Guix's, for identical derivations.
  (for-each check-subsystem (openssh-configuration-subsystems config))
  (computed-file
   "sshd_config"
   #~(begin
       (use-modules (ice-9 match))
       (call-with-output-file #$output
         (lambda (port)
           (display "# Generated by 'openssh-service'.\n" port)
           (format port "Port ~a\n"
                   #$(number->string
                      (openssh-configuration-port-number config)))
           (format port "PermitRootLogin ~a\n"
                   #$(permit-root-login->string
                      (openssh-configuration-permit-root-login config)))
           (format port "PermitEmptyPasswords ~a\n"
                   #$(yes/no
                      (openssh-configuration-allow-empty-passwords? config)))
           (format port "PasswordAuthentication ~a\n"
                   #$(yes/no
                      (openssh-configuration-password-authentication? config)))
           (format port "PubkeyAuthentication ~a\n"
                   #$(yes/no
                      (openssh-configuration-public-key-authentication?
                       config)))
           (format port "X11Forwarding ~a\n"
                   #$(yes/no (openssh-configuration-x11-forwarding? config)))
           (format port "AllowAgentForwarding ~a\n"
                   #$(yes/no
                      (openssh-configuration-allow-agent-forwarding? config)))
           (format port "AllowTcpForwarding ~a\n"
                   #$(yes/no
                      (openssh-configuration-allow-tcp-forwarding? config)))
           (format port "GatewayPorts ~a\n"
                   #$(yes/no (openssh-configuration-gateway-ports? config)))
           (format port "PidFile ~a\n"
                   #$(openssh-configuration-pid-file config))
           (format port "ChallengeResponseAuthentication ~a\n"
                   #$(yes/no
                      (openssh-configuration-challenge-response-authentication?
                       config)))
           (format port "UsePAM ~a\n"
                   #$(yes/no (openssh-configuration-use-pam? config)))
           (format port "PrintLastLog ~a\n"
                   #$(yes/no (openssh-configuration-print-last-log? config)))
           (format port "LogLevel ~a\n"
                   #$(log-level->string
                      (openssh-configuration-log-level config)))

           ;; Add '/etc/authorized_keys.d/%u', which we populate.
           (format port "AuthorizedKeysFile \
 .ssh/authorized_keys .ssh/authorized_keys2 /etc/ssh/authorized_keys.d/%u\n")

           (for-each (lambda (s) (format port "AcceptEnv ~a\n" s))
                     '#$(openssh-configuration-accepted-environment config))

           (for-each
            (match-lambda
              ((name command) (format port "Subsystem\t~a\t~a\n" name command)))
            '#$(openssh-configuration-subsystems config))

           (format port "~a\n"
                   #$(openssh-configuration-extra-content config))
           #t)))))


;;;
;;; Accounts, activation, authorized keys.
;;;

(define %openssh-accounts
  ;; sshd drops privileges to this user while it handles a connection.
  (list (user-group (name "sshd") (system? #t))
        (user-account
         (name "sshd")
         (group "sshd")
         (system? #t)
         (comment "sshd privilege separation user")
         (home-directory "/var/run/sshd")
         (shell (file-append shadow "/sbin/nologin")))))

(define (authorized-key-directory keys)
  "Return a directory (a computed-file) with one file per user of KEYS, a list
of (USER-NAME FILE-LIKE ...) lists, holding the concatenation of that user's
keys."
  (define build
    ;; Guix imports (source-module-closure '((guix build utils))): that
    ;; module uses no other Guix module, so the closure is the module alone.
    (with-imported-modules '((guix build utils))
      #~(begin
          (use-modules (ice-9 match) (srfi srfi-26)
                       (guix build utils))

          (mkdir #$output)
          (for-each (match-lambda
                      ((user keys ...)
                       (let ((file (string-append #$output "/" user)))
                         (call-with-output-file file
                           (lambda (port)
                             (for-each (lambda (key)
                                         (call-with-input-file key
                                           (cut dump-port <> port)))
                                       keys))))))
                    '#$keys))))

  (computed-file "openssh-authorized-keys" build))

(define (openssh-activation config)
  "Return the activation gexp for CONFIG: create /etc/ssh, install the
authorized keys, create lastlog and generate missing host keys."
  (with-imported-modules '((guix build utils))
    #~(begin
        (use-modules (guix build utils))

        (define (touch file-name)
          (call-with-output-file file-name (const #t)))

        ;; Make sure /etc/ssh can be read by the 'sshd' user.
        (mkdir-p "/etc/ssh")
        (chmod "/etc/ssh" #o755)
        (mkdir-p (dirname #$(openssh-configuration-pid-file config)))

        ;; 'sshd' complains if the authorized-key directory and its parents
        ;; are group-writable, which rules out /gnu/store.  Thus we copy the
        ;; authorized-key directory to /etc.
        (catch 'system-error
          (lambda ()
            (delete-file-recursively "/etc/ssh/authorized_keys.d"))
          (lambda args
            (unless (= ENOENT (system-error-errno args))
              (apply throw args))))
        (copy-recursively #$(authorized-key-directory
                             (openssh-configuration-authorized-keys config))
                          "/etc/ssh/authorized_keys.d")

        (chmod "/etc/ssh/authorized_keys.d" #o555)

        (let ((lastlog "/var/log/lastlog"))
          (when #$(openssh-configuration-print-last-log? config)
            (unless (file-exists? lastlog)
              (touch lastlog))))

        (when #$(openssh-configuration-generate-host-keys? config)
          ;; Generate missing host keys.
          (system* (string-append #$(openssh-configuration-openssh config)
                                  "/bin/ssh-keygen") "-A")))))


;;;
;;; The shepherd service.
;;;

(define (openssh-shepherd-service config)
  "Return the list of one <shepherd-service> running sshd for CONFIG.  It
provides ssh-daemon (with the aliases ssh and sshd)."
  (define pid-file
    (openssh-configuration-pid-file config))

  (define port-number
    (openssh-configuration-port-number config))

  (define max-connections
    (openssh-configuration-max-connections config))

  (define config-file
    (openssh-config-file config))

  (define openssh-command
    #~(list (string-append #$(openssh-configuration-openssh config) "/sbin/sshd")
            "-D" "-f" #$config-file))

  ;; The shepherd code decides at boot whether shepherd listens on sshd's
  ;; behalf (inetd style, Shepherd >= 0.9.1) and whether IPv6 is there.
  (define inetd-style?
    #~(and (defined? 'make-inetd-constructor)
           (not (string=? (@ (shepherd config) Version) "0.9.0"))))

  (define ipv6-support?
    #~(catch 'system-error
        (lambda ()
          (let ((sock (socket AF_INET6 SOCK_STREAM 0)))
            (close-port sock)
            #t))
        (const #f)))

  (list (shepherd-service
         (documentation "OpenSSH server.")
         ;; 'networking': on the Hurd, sshd can only start once pfinet runs.
         (requirement '(user-processes pam syslogd loopback networking))
         (provision '(ssh-daemon ssh sshd))
         ;; `requirement' below is the field given above: the record
         ;; constructor binds each field to its value for the later ones.
         (start #~(if #$inetd-style?
                      (make-inetd-constructor
                       (append #$openssh-command '("-i"))
                       (cons (endpoint
                              (make-socket-address AF_INET INADDR_ANY
                                                   #$port-number))
                             (if #$ipv6-support?
                                 (list
                                  (endpoint
                                   (make-socket-address AF_INET6 IN6ADDR_ANY
                                                        #$port-number)))
                                 '()))
                       #:requirements '#$requirement
                       #:max-connections #$max-connections)
                      (make-forkexec-constructor #$openssh-command
                                                 #:pid-file #$pid-file)))
         (stop #~(if #$inetd-style?
                     (make-inetd-destructor)
                     (make-kill-destructor)))
         (actions (list (shepherd-configuration-action config-file)))
         (auto-start? (openssh-auto-start? config)))))

(define (openssh-pam-services config)
  "Return the PAM service for sshd, honouring allow-empty-passwords?."
  (list (unix-pam-service
         "sshd"
         #:login-uid? #t
         #:allow-empty-passwords?
         (openssh-configuration-allow-empty-passwords? config))))


;;;
;;; Extending the authorized keys.
;;;

(define (coalesce-authorized-keys entries)
  "Merge ENTRIES, a list of (USER KEY ...) lists, the way Guix does: one
entry per element of ENTRIES (a user named twice keeps two identical
entries), each with all the keys of that user, the keys of later entries
first."
  ;; Guix builds a vhash from the alist and folds over each user's values
  ;; with `cons', which yields them last entry first; we keep that order.
  (map (lambda (user)
         (cons user
               (append-map cdr
                           (reverse
                            (filter (lambda (entry)
                                      (equal? (car entry) user))
                                    entries)))))
       (map car entries)))

(define (extend-openssh-authorized-keys config keys)
  "Return CONFIG with the (USER KEY ...) entries of KEYS added to its
authorized keys."
  (openssh-configuration
   (inherit config)
   (authorized-keys
    (coalesce-authorized-keys
     (append (openssh-configuration-authorized-keys config) keys)))))


;;;
;;; The service type.
;;;

(define openssh-service-type
  (service-type (name 'openssh)
                (description
                 "Run the OpenSSH secure shell (SSH) server, @command{sshd}.")
                (extensions
                 (list (service-extension shepherd-root-service-type
                                          openssh-shepherd-service)
                       (service-extension pam-root-service-type
                                          openssh-pam-services)
                       (service-extension activation-service-type
                                          openssh-activation)
                       (service-extension account-service-type
                                          (const %openssh-accounts))
                       ;; In the system profile so that 'scp' to this
                       ;; machine finds its remote half.
                       (service-extension profile-service-type
                                          (lambda (config)
                                            (list (openssh-configuration-openssh
                                                   config))))))
                (compose concatenate)
                (extend extend-openssh-authorized-keys)
                (default-value (openssh-configuration))))
