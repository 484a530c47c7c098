;;; (gnu services) and (gnu services shepherd): service types, folding,
;;; modify-services, and the errors Guix raises, with their locations.
(use-modules (srfi srfi-64) (gnu services) (gnu services shepherd)
             (schemos services-support) (guix records) (guix gexp)
             (srfi srfi-1))

(test-begin "gnu-services")

;; The message of the error THUNK raises, or 'no-error.
(define (message-of thunk)
  (guard (e (#t (if (error-object? e) (error-object-message e) e)))
    (thunk)
    'no-error))

;; The error THUNK raises, or #f.
(define (error-of thunk)
  (guard (e (#t e))
    (thunk)
    #f))

(define (type-names services)
  (map (lambda (s) (service-type-name (service-kind s))) services))

(define this-file
  ;; The file name locations in this file carry.
  (location-file (service-location (service (service-type (name 'here)
                                                          (extensions '())
                                                          (default-value 0)
                                                          (description "d"))))))

;;;
;;; A small graph: 'sink' collects numbers from 'adder' and 'scaler'.
;;;

(define sink-type
  (service-type (name 'sink)
                (extensions '())
                (compose (lambda (lists) (apply append lists)))
                (extend (lambda (initial extra) (append initial extra)))
                (default-value '(0))
                (description "Collects numbers.")))

(define adder-type
  (service-type (name 'adder)
                (extensions (list (service-extension sink-type
                                                     (lambda (n) (list n)))))
                (description "Extends the sink with its value.")))

(define scaler-type
  (service-type (name 'scaler)
                (extensions (list (service-extension sink-type
                                                     (lambda (n) (list (* 10 n))))))
                (default-value 7)
                (description "Extends the sink with ten times its value.")))

(define lone-type
  (service-type (name 'lone) (extensions '()) (default-value #f)
                (description "Extends nothing.")))

(test-group "records"
  (test-eq 'adder (service-type-name adder-type))
  (test-equal "Extends the sink with its value." (service-type-description adder-type))
  (test-equal '(0) (service-type-default-value sink-type))
  (test-eq #f (service-type-compose adder-type))
  (test-eq #f (service-type-extend adder-type))
  (test-assert (service-extension? (car (service-type-extensions adder-type))))
  (test-eq sink-type (service-extension-target (car (service-type-extensions adder-type))))
  (test-assert (service-type? scaler-type))
  (test-assert (service? (service scaler-type)))
  (test-eqv 7 (service-value (service scaler-type)))
  (test-eqv 3 (service-value (service scaler-type 3)))
  (test-eq service-value service-parameters)
  (test-eq scaler-type (service-kind (service scaler-type 1)))
  ;; a service remembers where it was written: this file, this line
  (let ((s (service scaler-type 1)))
    (test-equal this-file (location-file (service-location s)))
    (test-assert (> (location-line (service-location s)) 1)))
  ;; service-type is a Guix record: inherit works, description is required
  (let ((t (service-type (inherit scaler-type) (name 'scaler2))))
    (test-eq 'scaler2 (service-type-name t))
    (test-eqv 7 (service-type-default-value t))))

(test-group "default values"
  (let ((e (error-of (lambda () (service adder-type)))))
    (test-assert (service-error? e))
    (test-assert (missing-value-service-error? e))
    (test-eq adder-type (missing-value-service-error-type e))
    (test-equal "no value specified for service of type 'adder'"
      (error-object-message e))
    ;; located at the (service adder-type) form above
    (test-equal this-file (location-file (missing-value-service-error-location e))))
  ;; catch sees it as an error too
  (test-eq 'misc-error
    (catch #t (lambda () (service adder-type)) (lambda (key . args) key))))

(test-group "fold-services"
  ;; extensions reach the sink last service first, as in Guix
  (test-equal '(0 70 2 1)
    (service-value
     (fold-services (list (service sink-type) (service adder-type 1)
                          (service adder-type 2) (service scaler-type))
                    #:target-type sink-type)))
  ;; a type without 'extend' keeps its value as is
  (test-equal 5
    (service-value (fold-services (list (service sink-type) (service scaler-type 5))
                                  #:target-type scaler-type)))
  ;; the folded root is a new service of the same type
  (let* ((root (service sink-type '(1)))
         (folded (fold-services (list root (service adder-type 2))
                                #:target-type sink-type)))
    (test-eq sink-type (service-kind folded))
    (test-equal '(1 2) (service-value folded))
    (test-equal '(1) (service-value root)))
  ;; no root, or two
  (test-equal "service of type 'sink' not found"
    (message-of (lambda ()
                  (fold-services (list (service lone-type))
                                 #:target-type sink-type))))
  (test-equal "more than one target service of type 'sink'"
    (message-of (lambda ()
                  (fold-services (list (service sink-type) (service sink-type))
                                 #:target-type sink-type))))
  ;; the default target is the system service
  (test-equal "service of type 'system' not found"
    (message-of (lambda () (fold-services (list (service sink-type))))))
  ;; every extension needs its target, even one the fold does not reach
  (test-equal "no target of type 'sink' for service 'scaler'"
    (message-of (lambda ()
                  (fold-services (list (service lone-type) (service scaler-type))
                                 #:target-type lone-type)))))

;; A diamond: top <- left, right <- bottom.  'bottom' is folded once.
(define top-type
  (service-type (name 'top) (extensions '())
                (compose concatenate) (extend append)
                (default-value '()) (description "top")))
(define (middle name)
  (service-type (name name)
                (extensions (list (service-extension top-type
                                                     (lambda (v) (list (cons name v))))))
                (compose concatenate) (extend append)
                (default-value '()) (description "middle")))
(define left-type (middle 'left))
(define right-type (middle 'right))
(define bottom-calls 0)
(define bottom-type
  (service-type (name 'bottom)
                (extensions
                 (list (service-extension left-type
                                          (lambda (v)
                                            (set! bottom-calls (+ 1 bottom-calls))
                                            (list v)))
                       (service-extension right-type (lambda (v) (list v)))))
                (description "bottom")))

(test-group "extension order and memoization"
  (test-equal '((right b) (left b))
    (service-value
     (fold-services (list (service top-type) (service left-type)
                          (service right-type) (service bottom-type 'b))
                    #:target-type top-type)))
  (test-eqv 1 bottom-calls))

(test-group "instantiate-missing-services"
  ;; the sink has a default value: it is added, in front
  (test-equal '(sink adder)
    (type-names (instantiate-missing-services (list (service adder-type 1)))))
  ;; transitively: bottom needs left and right, which need top
  (test-equal '(top right left bottom)
    (type-names (instantiate-missing-services (list (service bottom-type 1)))))
  ;; nothing to add: the same list
  (let ((l (list (service sink-type) (service adder-type 1))))
    (test-eq l (instantiate-missing-services l)))
  ;; instances made here were written by nobody
  (test-eq #f (service-location
               (car (instantiate-missing-services (list (service adder-type 1))))))
  (test-equal '(0 1)
    (service-value (fold-services (instantiate-missing-services
                                   (list (service adder-type 1)))
                                  #:target-type sink-type))))

(define rootless-type
  (service-type (name 'rootless) (extensions '())
                (compose concatenate) (extend append)
                (description "No default value.")))
(define leaf-type
  (service-type (name 'leaf)
                (extensions (list (service-extension rootless-type list)))
                (description "Extends rootless.")))

(test-group "missing and ambiguous targets"
  (let ((e (error-of (lambda ()
                       (instantiate-missing-services (list (service leaf-type 1)))))))
    (test-assert (missing-target-service-error? e))
    (test-equal "no target of type 'rootless' for service 'leaf'"
      (error-object-message e))
    (test-eq rootless-type (missing-target-service-error-target-type e))
    (test-eq leaf-type (service-kind (missing-target-service-error-service e))))
  ;; fold-services finds the same problem
  (test-equal "no target of type 'rootless' for service 'leaf'"
    (message-of (lambda ()
                  (fold-services (list (service leaf-type 1))
                                 #:target-type leaf-type))))
  (let ((e (error-of (lambda ()
                       (fold-services (list (service sink-type) (service sink-type)
                                            (service adder-type 1))
                                      #:target-type adder-type)))))
    (test-assert (ambiguous-target-service-error? e))
    (test-equal "more than one target service of type 'sink'"
      (error-object-message e))
    (test-eq sink-type (ambiguous-target-service-error-target-type e))))

(test-group "simple-service"
  (let ((s (simple-service 'extra adder-type 42)))
    (test-eq 'extra (service-type-name (service-kind s)))
    (test-equal "This is a simple service." (service-type-description (service-kind s)))
    (test-eqv 42 (service-value s))
    (test-equal '(0 40)
      (service-value
       (fold-services (list (service sink-type)
                            (simple-service 'forty sink-type '(40)))
                      #:target-type sink-type)))))

(define-record-type* <point> point make-point point?
  (x point-x (default 0))
  (y point-y (default 0)))

(test-group "modify-services"
  (define services
    (list (service adder-type 1) (service scaler-type 2) (service adder-type 3)
          (service top-type (list (point (x 1) (y 2))))))
  (test-equal '(101 2 103 #f)
    (map (lambda (s) (and (number? (service-value s)) (service-value s)))
         (modify-services services
           (adder-type n => (+ n 100)))))
  (test-equal '(adder adder top)
    (type-names (modify-services services (delete scaler-type))))
  ;; inherit-style update of a record value
  (test-equal '((1 . 20))
    (map (lambda (p) (cons (point-x p) (point-y p)))
         (service-value
          (last (modify-services services
                  (top-type points =>
                            (map (lambda (p) (point (inherit p) (y 20)))
                                 points)))))))
  ;; clauses apply in order, all of them
  (test-equal '(scaler)
    (type-names (modify-services services
                  (adder-type n => (* n 2))
                  (delete adder-type)
                  (delete top-type))))
  ;; the input list is untouched
  (test-equal '(adder scaler adder top) (type-names services))
  ;; a modified service is located at its clause
  (let ((s (car (modify-services (list (service adder-type 1))
                  (adder-type n => n)))))
    (test-equal this-file (location-file (service-location s))))
  (let ((e (error-of (lambda ()
                       (modify-services (list (service adder-type 1))
                         (scaler-type n => n))))))
    (test-equal "modify-services: service 'scaler' not found in service list"
      (error-object-message e))
    (test-assert (service-error? e)))
  (test-assert
   (string-prefix?
    "modify-services: service 'adder' was deleted here: "
    (message-of (lambda ()
                  (modify-services (list (service adder-type 1))
                    (delete adder-type)
                    (adder-type n => n)))))))

(test-group "validate-service-list"
  (test-equal '() (validate-service-list '()))
  (test-equal "'services' field must contain a list of services"
    (message-of (lambda () (validate-service-list (list 1 2))))))

(test-group "remove-service-extensions"
  (let ((t (remove-service-extensions bottom-type (list left-type))))
    (test-equal '(right)
      (map (lambda (e) (service-type-name (service-extension-target e)))
           (service-type-extensions t)))
    (test-eq 'bottom (service-type-name t))))

(test-group "core service types"
  (test-equal '(system boot activate etc profile special-files privileged-program
                startup provenance cleanup)
    (map service-type-name
         (list system-service-type boot-service-type activation-service-type
               etc-service-type profile-service-type special-files-service-type
               privileged-program-service-type hurd-startup-service-type
               provenance-service-type cleanup-service-type)))
  (test-eq privileged-program-service-type setuid-program-service-type)
  (test-eq boot-service-type (service-kind %boot-service))
  (test-eq activation-service-type (service-kind %activation-service))
  (test-eq hurd-startup-service-type (service-kind %hurd-startup-service))
  (test-equal '() (service-type-default-value etc-service-type))
  (test-eq %hurd-rc-script (service-type-default-value hurd-startup-service-type))
  ;; every core type is documented
  (test-assert (every (lambda (t) (string? (service-type-description t)))
                      (list system-service-type boot-service-type
                            activation-service-type etc-service-type
                            profile-service-type special-files-service-type)))
  ;; etc: entries from several services are appended
  (test-equal '("a" "b")
    (map car
         (service-value
          (fold-services (instantiate-missing-services
                          (list (service system-service-type '())
                                (simple-service 'ea etc-service-type '(("b" x)))
                                (simple-service 'eb etc-service-type '(("a" y)))))
                         #:target-type etc-service-type))))
  ;; ... but two entries for one file are an error, as in Guix
  (test-equal "duplicate 'hosts' entry for /etc"
    (message-of (lambda ()
                  (etc-directory (service etc-service-type
                                          '(("hosts" a) ("hosts" b)))))))
  (let ((s (extra-special-file "/usr/bin/env" 'env)))
    (test-eq 'special-file-/usr/bin/env (service-type-name (service-kind s)))
    (test-equal '(("/usr/bin/env" env)) (service-value s))))


;;;
;;; Shepherd.
;;;

(define (daemon-type name requirement)
  ;; A type whose instances run one shepherd service NAME requiring
  ;; REQUIREMENT.
  (service-type (name name)
                (extensions
                 (list (service-extension
                        shepherd-root-service-type
                        (lambda (value)
                          (list (shepherd-service
                                 (provision (list name))
                                 (requirement requirement)))))))
                (default-value #f)
                (description "A daemon.")))

(define alpha (daemon-type 'alpha '()))
(define beta (daemon-type 'beta '(alpha user-processes)))
(define gamma (daemon-type 'gamma '(nowhere)))

(define (shepherd-services-of services)
  (shepherd-configuration-services
   (service-value
    (fold-services (instantiate-missing-services
                    (cons (service system-service-type '()) services))
                   #:target-type shepherd-root-service-type))))

(define (provisions-of services)
  (map shepherd-service-provision (shepherd-services-of services)))

(test-group "shepherd records"
  (let ((s (shepherd-service (provision '(foo bar)))))
    (test-equal '(foo bar) (shepherd-service-provision s))
    (test-eq 'foo (shepherd-service-canonical-name s))
    (test-equal '() (shepherd-service-requirement s))
    (test-equal "[No documentation.]" (shepherd-service-documentation s))
    (test-eq #f (shepherd-service-one-shot? s))
    (test-eq #t (shepherd-service-respawn? s))
    (test-eq #t (shepherd-service-auto-start? s))
    (test-eq #f (shepherd-service-free-form s))
    (test-equal '() (shepherd-service-actions s))
    (test-equal %default-modules (shepherd-service-modules s))
    (test-assert (gexp? (shepherd-service-start s)))
    (test-eq #f (shepherd-service-origin s)))
  (let ((a (shepherd-action (name 'hi) (documentation "Say hi.")
                            (procedure #~(lambda _ #t)))))
    (test-eq 'hi (shepherd-action-name a))
    (test-equal "Say hi." (shepherd-action-documentation a)))
  (test-equal "'provision' must be a non-empty list of symbols"
    (message-of (lambda () (shepherd-service (provision '())))))
  (test-equal "'provision' must be a non-empty list of symbols"
    (message-of (lambda () (shepherd-service (provision '("foo"))))))
  (test-equal '((shepherd service) ((guix build utils) #:hide (delete))
                (guix build syscalls))
    %default-modules))

(test-group "shepherd root"
  (test-eq 'shepherd-root (service-type-name shepherd-root-service-type))
  (test-assert (shepherd-configuration? (service-type-default-value
                                         shepherd-root-service-type)))
  ;; only extensions instantiate missing services: user-processes, which
  ;; beta requires, is given
  (test-equal '((user-processes) (beta) (alpha))
    (provisions-of (list (service alpha) (service beta)
                         (service user-processes-service-type))))
  ;; shepherd services made while folding know their service
  (let* ((svc (service alpha))
         (shep (car (shepherd-services-of (list svc)))))
    (test-eq svc (shepherd-service-origin shep)))
  ;; user-processes requires what its extensions say
  (test-equal '(file-systems)
    (shepherd-service-requirement
     (find (lambda (s) (equal? '(user-processes) (shepherd-service-provision s)))
           (shepherd-services-of
           (list (service user-processes-service-type '(file-systems))
                 (service (daemon-type 'file-systems '())))))))
  (test-eq #f (shepherd-service-respawn?
               (car (shepherd-services-of (list (service user-processes-service-type))))))
  ;; shepherd-service-type: one shepherd service from the value
  (let ((t (shepherd-service-type 'echo
                                  (lambda (name)
                                    (shepherd-service (provision (list name))))
                                  'echo-default
                                  (description "Echoes its name."))))
    (test-equal '((echo-default)) (provisions-of (list (service t))))
    (test-equal '((other)) (provisions-of (list (service t 'other))))))

(test-group "shepherd graph checks"
  (let ((e (error-of (lambda () (provisions-of (list (service alpha) (service gamma)))))))
    (test-equal "service 'gamma' requires 'nowhere', which is not provided by any service"
      (error-object-message e))
    (test-assert (service-error? e)))
  (test-equal "service 'beta' requires 'user-processes', which is not provided by any service"
    (message-of (lambda () (provisions-of (list (service alpha) (service beta))))))
  (test-equal "service 'alpha' provided more than once"
    (message-of (lambda () (provisions-of (list (service alpha) (service alpha))))))
  ;; 'shepherd' itself is always provided
  (test-equal '((delta))
    (provisions-of (list (service (daemon-type 'delta '(shepherd))))))
  (test-equal "service 'x' provided more than once"
    (message-of (lambda ()
                  (assert-valid-graph (list (shepherd-service (provision '(x y)))
                                            (shepherd-service (provision '(x))))))))
  (test-assert (begin
                 (assert-valid-graph
                  (list (shepherd-service (provision '(x)))
                        (shepherd-service (provision '(y)) (requirement '(x)))))
                 #t))
  ;; the error is located at the service written here
  (let ((e (error-of (lambda () (provisions-of (list (service gamma)))))))
    (test-equal this-file (location-file (%error-location e)))))

(test-group "lookups"
  (let* ((x (shepherd-service (provision '(x xx))))
         (y (shepherd-service (provision '(y)) (requirement '(x))))
         (z (shepherd-service (provision '(z)) (requirement '(x y))))
         (lookup (shepherd-service-lookup-procedure (list x y z)))
         (dependents (shepherd-service-back-edges (list x y z))))
    (test-eq x (lookup 'xx))
    (test-eq z (lookup 'z))
    (test-eq #f (lookup 'nothing))
    (test-equal (list y z) (dependents x))
    (test-equal (list z) (dependents y))
    (test-equal '() (dependents z))))

(test-group "shepherd files"
  (let ((s (shepherd-service (provision '(ssh-daemon ssh sshd)))))
    (test-equal "shepherd-ssh-daemon-ssh-sshd.scm"
      (scheme-file-name (shepherd-service-file s))))
  (test-equal "shepherd-a-b.scm"
    (scheme-file-name (shepherd-service-file
                       (shepherd-service (provision '(a/b))))))
  (test-equal "shepherd.conf"
    (scheme-file-name (shepherd-configuration-file
                       (list (shepherd-service (provision '(a))))
                       'shepherd)))
  ;; the configuration file is only made for a valid graph
  (test-equal "service 'a' requires 'b', which is not provided by any service"
    (message-of (lambda ()
                  (shepherd-configuration-file
                   (list (shepherd-service (provision '(a)) (requirement '(b))))
                   'shepherd))))
  (let ((action (shepherd-configuration-action "/etc/x.conf")))
    (test-eq 'configuration (shepherd-action-name action))
    (test-assert (gexp? (shepherd-action-procedure action))))
  (test-eq 'trigger (shepherd-action-name shepherd-trigger-action)))

(test-group "timers and system log"
  (test-equal '((user-processes) (timer))
    (provisions-of (list (service shepherd-timer-service-type)
                         (service user-processes-service-type))))
  (test-equal '(user-processes)
    (shepherd-service-requirement
     (cadr (shepherd-services-of (list (service shepherd-transient-service-type)
                                       (service user-processes-service-type))))))
  (test-equal '(system-log syslogd)
    (system-log-configuration-provision (system-log-configuration))))

(test-end "gnu-services")
