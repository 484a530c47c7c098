;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu services shepherd): the GNU Shepherd, PID 1, and the services it
;;; runs.
;;;
;;; This models Guix 1.5's module: services extend 'shepherd-root-service-type'
;;; with lists of <shepherd-service> records; the root service's value is a
;;; <shepherd-configuration> holding the shepherd package and every service.
;;; Guix checks the service graph ('assert-valid-graph': every requirement
;;; provided, no name provided twice) when it writes shepherd's
;;; configuration file; schemos checks it as soon as the root service is
;;; folded, so 'guix system'-style errors show up at evaluation time, and
;;; locates them at the service the user wrote (see '%extending-service' in
;;; (gnu services)).
;;;
;;; The gexps (start/stop procedures, the configuration file) are schemos'
;;; own code doing what Guix's do.

(define-module (gnu services shepherd)
  #:use-module (schemos services-support)
  #:use-module (guix records)
  #:use-module (guix gexp)
  #:use-module (gnu services)
  #:use-module (gnu packages admin)
  #:use-module (srfi srfi-1)
  #:export (shepherd-configuration
            shepherd-configuration?
            shepherd-configuration-shepherd
            shepherd-configuration-services

            shepherd-root-service-type
            %shepherd-root-service
            shepherd-service-type

            shepherd-service
            shepherd-service?
            shepherd-service-documentation
            shepherd-service-provision
            shepherd-service-canonical-name
            shepherd-service-requirement
            shepherd-service-one-shot?
            shepherd-service-respawn-limit
            shepherd-service-respawn-delay
            shepherd-service-respawn?
            shepherd-service-start
            shepherd-service-stop
            shepherd-service-free-form
            shepherd-service-actions
            shepherd-service-auto-start?
            shepherd-service-modules
            shepherd-service-origin               ;schemos extension

            shepherd-action
            shepherd-action?
            shepherd-action-name
            shepherd-action-documentation
            shepherd-action-procedure

            shepherd-configuration-action
            shepherd-trigger-action

            %default-imported-modules
            %default-modules

            shepherd-service-file
            shepherd-configuration-file

            shepherd-service-lookup-procedure
            shepherd-service-back-edges

            user-processes-service-type
            shepherd-timer-service-type
            shepherd-transient-service-type

            system-log-configuration
            system-log-configuration?
            system-log-configuration-provision
            system-log-configuration-requirement
            system-log-configuration-kernel-log-file
            system-log-configuration-message-destination
            system-log-configuration-date-format
            system-log-configuration-history-size
            system-log-configuration-max-silent-time

            shepherd-system-log-service-type

            assert-valid-graph))


;;;
;;; Shepherd services.
;;;

(define %default-imported-modules
  ;; Modules a service's code may use without importing them itself.
  '((guix build utils)
    (guix build syscalls)))

(define %default-modules
  ;; Modules visible in a service's file.
  `((shepherd service)
    ((guix build utils) #:hide (delete))
    (guix build syscalls)))

;; (validate-provision VALUE): VALUE if it is a non-empty list of symbols,
;; else Guix's error located where VALUE was written.
(define-syntax validate-provision
  (syntax-rules ()
    ((_ value)
     (%validate-provision value (%location-of value)))))

(define (%validate-provision provision location)
  (if (and (pair? provision) (list? provision) (every symbol? provision))
      provision
      (raise (make-service-error
              'error location
              "'provision' must be a non-empty list of symbols" '()
              "write, for instance, (provision '(my-daemon))"))))

(define-record-type* <shepherd-service>
  shepherd-service make-shepherd-service
  shepherd-service?
  (documentation shepherd-service-documentation   ;string
                 (default "[No documentation.]"))
  (provision     shepherd-service-provision       ;list of symbols
                 (sanitize validate-provision))
  (requirement   shepherd-service-requirement     ;list of symbols
                 (default '()))
  (one-shot?     shepherd-service-one-shot?       ;Boolean
                 (default #f))
  (respawn?      shepherd-service-respawn?        ;Boolean
                 (default #t))
  (respawn-limit shepherd-service-respawn-limit   ;#f | (COUNT . SECONDS)
                 (default #f))
  (respawn-delay shepherd-service-respawn-delay   ;#f | seconds
                 (default #f))
  (free-form     shepherd-service-free-form       ;#f | gexp making the service
                 (default #f))
  (start         shepherd-service-start           ;gexp of a procedure
                 (default #~(const #t)))
  (stop          shepherd-service-stop            ;gexp of a procedure
                 (default #~(const #f)))
  (actions       shepherd-service-actions         ;list of <shepherd-action>
                 (default '()))
  (auto-start?   shepherd-service-auto-start?     ;Boolean
                 (default #t))
  (modules       shepherd-service-modules         ;list of module specs
                 (default %default-modules))
  ;; schemos: the <service> whose extension made this record, when it was
  ;; made while folding services; the graph checks locate errors there.
  (origin        shepherd-service-origin
                 (default (%extending-service))
                 (innate)))

(define-record-type* <shepherd-action>
  shepherd-action make-shepherd-action
  shepherd-action?
  (name          shepherd-action-name)            ;symbol
  (procedure     shepherd-action-procedure)       ;gexp
  (documentation shepherd-action-documentation))  ;string

(define (shepherd-service-canonical-name service)
  "The canonical name of SERVICE: the first symbol it provides."
  (first (shepherd-service-provision service)))

(define (origin-location services)
  "Where to report an error about SERVICES, <shepherd-service> records: at the
services they come from (see '%preferred-location')."
  (%preferred-location
   (map (lambda (s)
          (let ((origin (shepherd-service-origin s)))
            (and origin (service-location origin))))
        services)))

(define (assert-valid-graph services)
  "Raise an error if SERVICES, a list of <shepherd-service>, is not a valid
shepherd service graph: a requirement nobody provides, or a name provided
more than once.  (The shepherd would otherwise fail at boot.)"
  ;; Name -> the service providing it; 'shepherd' is the root service.
  (define provider (make-hash-table))
  (hashq-set! provider 'shepherd #t)
  (for-each
   (lambda (service)
     (for-each
      (lambda (name)
        (let ((other (hashq-ref provider name)))
          (when other
            (raise (make-service-error
                    'error
                    (origin-location (if (shepherd-service? other)
                                         (list service other)
                                         (list service)))
                    (format #f "service '~a' provided more than once" name)
                    '())))
          (hashq-set! provider name service)))
      (shepherd-service-provision service)))
   services)
  (for-each
   (lambda (service)
     (for-each
      (lambda (requirement)
        (unless (hashq-ref provider requirement)
          (raise (make-service-error
                  'error (origin-location (list service))
                  (format #f "service '~a' requires '~a', which is not \
provided by any service"
                          (shepherd-service-canonical-name service)
                          requirement)
                  '()))))
      (shepherd-service-requirement service)))
   services))

(define %store-characters
  ;; The characters the daemon accepts in store file names.
  (string->list
   "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+-._?="))

(define (shepherd-service-file-name service)
  "The name of the file defining SERVICE: its provisions, store-safe."
  (string-append "shepherd-"
                 (list->string
                  (map (lambda (c) (if (memv c %store-characters) c #\-))
                       (string->list
                        (string-join (map symbol->string
                                          (shepherd-service-provision service))))))
                 ".scm"))

(define (shepherd-service-file service)
  "Return a file defining SERVICE for the shepherd."
  (scheme-file
   (shepherd-service-file-name service)
   (with-imported-modules %default-imported-modules
     (if (shepherd-service-free-form service)
         #~(begin
             (use-modules #$@(shepherd-service-modules service))
             #$(shepherd-service-free-form service))
         #~(begin
             (use-modules #$@(shepherd-service-modules service))
             (service '#$(shepherd-service-provision service)
                      #:documentation '#$(shepherd-service-documentation service)
                      #:requirement '#$(shepherd-service-requirement service)
                      #:one-shot? '#$(shepherd-service-one-shot? service)
                      #:respawn? '#$(shepherd-service-respawn? service)
                      #$@(let ((limit (shepherd-service-respawn-limit service))
                               (delay (shepherd-service-respawn-delay service)))
                           (append (if limit (list #:respawn-limit limit) '())
                                   (if delay (list #:respawn-delay delay) '())))
                      #:start #$(shepherd-service-start service)
                      #:stop #$(shepherd-service-stop service)
                      #:actions
                      (actions
                       #$@(map (lambda (action)
                                 #~(#$(shepherd-action-name action)
                                    #$(shepherd-action-documentation action)
                                    #$(shepherd-action-procedure action)))
                               (shepherd-service-actions service)))))))))

(define (scm->go file shepherd)
  "FILE compiled by SHEPHERD's Guile, as shepherd loads service files."
  (with-extensions (list shepherd)
    (computed-file (string-append (basename (scheme-file-name file) ".scm")
                                  ".go")
                   #~(begin
                       (use-modules (system base compile))
                       (let ((env (make-fresh-user-module)))
                         (module-use! env (resolve-interface '(shepherd service)))
                         (compile-file #$file #:output-file #$output
                                       #:env env)))
                   #:options '(#:local-build? #t #:substitutable? #f))))

(define (shepherd-configuration-file services shepherd)
  "Return shepherd's configuration file for SERVICES, run by SHEPHERD."
  (assert-valid-graph services)
  (let ((files (map (lambda (s) (scm->go (shepherd-service-file s) shepherd))
                    services)))
    (scheme-file
     "shepherd.conf"
     #~(begin
         (use-modules (srfi srfi-1))
         ;; Services only see this PATH, not PID 1's environment.
         (default-environment-variables
           '("PATH=/run/current-system/profile/bin"))
         ;; Booting from slow media can make daemons slow to write PID files.
         (default-pid-file-timeout 30)
         ;; A service file that fails to load must not keep the others from
         ;; being registered.
         (register-services
          (filter-map (lambda (file)
                        (catch #t
                          (lambda ()
                            (save-module-excursion
                             (lambda ()
                               (let ((m (make-fresh-user-module)))
                                 (module-use! m (resolve-interface
                                                 '(shepherd service)))
                                 (set-current-module m)
                                 (load-compiled file)))))
                          (lambda args
                            (format #t "Exception caught while loading '~a': ~s~%"
                                    file args)
                            #f)))
                      '#$files))
         (format #t "starting services...~%")
         (start-in-the-background
          '#$(append-map shepherd-service-provision
                         (filter shepherd-service-auto-start? services)))
         ;; Nothing reads the console from now on.
         (redirect-port (open "/dev/null" (logior O_RDONLY O_CLOEXEC))
                        (current-input-port))))))

(define (shepherd-configuration-action file)
  "Return a 'configuration' action showing FILE, the service's configuration
file."
  (shepherd-action
   (name 'configuration)
   (documentation "Display the name of this service's configuration file.")
   (procedure #~(lambda (_)
                  (format #t "~a~%" #$file)
                  #$file))))

(define shepherd-trigger-action
  ;; Runs a timer service's action right away.
  (shepherd-action
   (name 'trigger)
   (documentation "Trigger immediate execution of this timer.")
   (procedure #~trigger-timer)))


;;;
;;; The root service.
;;;

(define-record-type* <shepherd-configuration>
  shepherd-configuration make-shepherd-configuration
  shepherd-configuration?
  (shepherd shepherd-configuration-shepherd       ;file-like
            (default shepherd-1.0))
  (services shepherd-configuration-services       ;list of <shepherd-service>
            (default '())))

(define (shepherd-boot-gexp config)
  "The boot-script snippet that starts shepherd as PID 1."
  (let ((shepherd (shepherd-configuration-shepherd config))
        (services (shepherd-configuration-services config)))
    #~(begin
        ;; /run/booted-system, a GC root, is the system we booted.
        (false-if-exception (delete-file "/run/booted-system"))
        (symlink (canonicalize-path "/run/current-system")
                 "/run/booted-system")
        ;; shepherd must not inherit our file descriptors.
        (let loop ((fd 3))
          (when (< fd 1024)
            (false-if-exception
             (let ((flags (fcntl fd F_GETFD)))
               (unless (logtest flags FD_CLOEXEC)
                 (fcntl fd F_SETFD (logior FD_CLOEXEC flags)))))
            (loop (+ fd 1))))
        (execl #$(file-append shepherd "/bin/shepherd")
               "shepherd" "--config"
               #$(shepherd-configuration-file services shepherd)))))

(define (shepherd-packages config)
  (list (shepherd-configuration-shepherd config)))

(define (extend-shepherd-configuration config extra-services)
  (let ((services (append (shepherd-configuration-services config)
                          extra-services)))
    ;; Check now rather than when lowering, so that an invalid graph is
    ;; reported when the system is evaluated.
    (assert-valid-graph services)
    (shepherd-configuration
     (inherit config)
     (services services))))

(define shepherd-root-service-type
  ;; Extended by lists of <shepherd-service>.
  (service-type
   (name 'shepherd-root)
   (compose concatenate)
   (extend extend-shepherd-configuration)
   (extensions (list (service-extension boot-service-type
                                        shepherd-boot-gexp)
                     (service-extension profile-service-type
                                        shepherd-packages)))
   (default-value (shepherd-configuration))
   (description
    "Run the GNU Shepherd as PID 1---i.e., the operating system's first
process.  The Shepherd takes care of managing services such as daemons by
ensuring they are started and stopped in the right order.")))

(define %shepherd-root-service
  (service shepherd-root-service-type))

;; (shepherd-service-type NAME PROC [DEFAULT] (description TEXT)): a type
;; whose instances extend the root service with the one shepherd service
;; PROC makes from their value, and nothing else.
(define-syntax shepherd-service-type
  (syntax-rules (description)
    ((_ service-name proc default (description text))
     (service-type
      (name service-name)
      (extensions
       (list (service-extension shepherd-root-service-type
                                (lambda (value) (list (proc value))))))
      (default-value default)
      (description text)))
    ((_ service-name proc (description text))
     (service-type
      (name service-name)
      (extensions
       (list (service-extension shepherd-root-service-type
                                (lambda (value) (list (proc value))))))
      (description text)))))


;;;
;;; Lookups.
;;;

(define* (shepherd-service-lookup-procedure services
                                            #:optional
                                            (provision
                                             shepherd-service-provision))
  "Return a procedure that, given a symbol, returns the item among SERVICES
that provides it, or #f.  PROVISION maps a service to the symbols it
provides."
  (let ((table (make-hash-table)))
    ;; The first provider of a name wins, as with Guix's vhash lookup of the
    ;; most recent entry of a list folded from its end.
    (for-each (lambda (service)
                (for-each (lambda (name)
                            (unless (hashq-ref table name)
                              (hashq-set! table name service)))
                          (provision service)))
              (reverse services))
    (lambda (name)
      (hashq-ref table name #f))))

(define* (shepherd-service-back-edges services
                                      #:key
                                      (provision shepherd-service-provision)
                                      (requirement shepherd-service-requirement))
  "Return a procedure that, given a service from SERVICES, returns the list
of services from SERVICES that require it."
  (define provider
    (shepherd-service-lookup-procedure services provision))
  (define edges (make-hash-table))
  (for-each (lambda (service)
              (for-each (lambda (name)
                          (let ((p (provider name)))
                            (hashq-set! edges p
                                        (cons service (hashq-ref edges p '())))))
                        (requirement service)))
            services)
  (lambda (service)
    (reverse (hashq-ref edges service '()))))


;;;
;;; User processes.
;;;

(define (user-processes-shepherd-service requirements)
  "The 'user-processes' service: started once REQUIREMENTS (file systems
and the like) are; stopping it terminates every process, so that the root
file system can be remounted read-only."
  (define grace-delay
    ;; Seconds between SIGTERM and SIGKILL.
    4)

  (list (shepherd-service
         (documentation "When stopped, terminate all user processes.")
         (provision '(user-processes))
         (requirement requirements)
         (start #~(const #t))
         (stop #~(lambda _
                   (display "sending all processes the TERM signal\n")
                   (kill -1 SIGTERM)
                   (sleep #$grace-delay)
                   (kill -1 SIGKILL)
                   (let wait ()
                     (let ((pids (processes)))
                       (unless (equal? '(1) pids)
                         (format #t "waiting for process termination \
(processes left: ~s)~%"
                                 pids)
                         (sleep 1)
                         (wait))))
                   (display "all processes have been terminated\n")
                   #f))
         (respawn? #f))))

(define user-processes-service-type
  ;; The value is the list of shepherd services 'user-processes' requires;
  ;; extensions add to it.
  (service-type
   (name 'user-processes)
   (extensions (list (service-extension shepherd-root-service-type
                                        user-processes-shepherd-service)))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "The @code{user-processes} service is responsible for
terminating all the processes so that the root file system can be re-mounted
read-only, just before rebooting/halting.  Processes still running after a few
seconds after @code{SIGTERM} has been sent are terminated with
@code{SIGKILL}.")))


;;;
;;; Timer and transient services.
;;;

(define shepherd-timer-service-type
  (shepherd-service-type
   'shepherd-timer
   (lambda (requirement)
     (shepherd-service
      (provision '(timer))
      (requirement requirement)
      (modules '((shepherd service timer)))
      (free-form #~(timer-service '(timer) #:requirement '#$requirement))))
   '(user-processes)
   (description "The Shepherd @code{timer} service lets you schedule commands
dynamically, similar to the @code{at} command that your grandparents would use
on that Slackware they got on a floppy disk.  For example, consider this
command:

@example
herd schedule timer at 07:00 -- mpg123 Music/alarm.mp3
@end example

It does exactly what you would expect.")))

(define shepherd-transient-service-type
  (shepherd-service-type
   'shepherd-transient
   (lambda (requirement)
     (shepherd-service
      (provision '(transient))
      (requirement requirement)
      (modules '((shepherd service transient)))
      (free-form #~(transient-service '(transient)
                                      #:requirement '#$requirement))))
   '(user-processes)
   (description "The Shepherd @code{transient} service lets you run commands
asynchronously, in the background, similar to @command{systemd-run}, as in
this example:

@example
herd spawn transient -E SSH_AUTH_SOCK=$SSH_AUTH_SOCK -- \\
  rsync -e ssh -vur . backup.example.org:
@end example

This runs @command{rsync} in the background, as a service that you can inspect
with @command{herd status} and stop with @command{herd stop}.")))


;;;
;;; The shepherd's own system log.
;;;

(define-record-type* <system-log-configuration>
  system-log-configuration make-system-log-configuration
  system-log-configuration?
  (provision           system-log-configuration-provision      ;list of symbols
                       (default '(system-log syslogd)))
  (requirement         system-log-configuration-requirement    ;list of symbols
                       (default '(root-file-system)))
  ;; File kernel messages are read from (#f: none).
  (kernel-log-file     system-log-configuration-kernel-log-file
                       (default #~(kernel-log-file)))
  ;; Gexp of a procedure mapping a message to the files it goes to; #f for
  ;; the shepherd's default.
  (message-destination system-log-configuration-message-destination
                       (default #f))
  (date-format         system-log-configuration-date-format    ;string or gexp
                       (default #~default-logfile-date-format))
  (history-size        system-log-configuration-history-size   ;integer or gexp
                       (default #~(default-log-history-size)))
  (max-silent-time     system-log-configuration-max-silent-time ;integer or gexp
                       (default #~(default-max-silent-time))))

(define (system-log-shepherd-service config)
  (let ((provision (system-log-configuration-provision config))
        (requirement (system-log-configuration-requirement config))
        (destination (system-log-configuration-message-destination config)))
    (shepherd-service
     (documentation "Shepherd's built-in system log (syslogd).")
     (provision provision)
     (requirement requirement)
     (modules '((shepherd service system-log)
                ((shepherd support) #:select (default-logfile-date-format))
                ((shepherd logger) #:select (default-log-history-size))))
     (free-form
      #~(system-log-service
         #:provision '#$provision
         #:requirement '#$requirement
         #$@(if destination
                (list #:message-destination destination)
                '())
         #:date-format #$(system-log-configuration-date-format config)
         #:history-size #$(system-log-configuration-history-size config)
         #:max-silent-time
         #$(system-log-configuration-max-silent-time config))))))

(define shepherd-system-log-service-type
  (shepherd-service-type
   'shepherd-system-log
   system-log-shepherd-service
   (system-log-configuration)
   (description
    "The Shepherd's @code{system-log} service plays the role of traditional
@command{syslogd} program, reading data logged by daemons to @file{/dev/log}
and writing it to several files in @file{/var/log} according to user-provided
dispatching rules.")))

;;; shepherd.scm ends here
