;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu services admin): the parts of Guix 1.5's module that
;;; %base-services and %base-services/hurd use -- the Shepherd's log
;;; rotation service and the periodic removal of old build logs.  (Rottlog,
;;; unattended upgrades and the file databases are not modelled.)

(define-module (gnu services admin)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (srfi srfi-1)
  #:export (log-rotation-configuration
            log-rotation-configuration?
            log-rotation-configuration-provision
            log-rotation-configuration-requirement
            log-rotation-configuration-calendar-event
            log-rotation-configuration-external-log-files
            log-rotation-configuration-compression
            log-rotation-configuration-expiry
            log-rotation-configuration-size-threshold
            log-rotation-service-type

            log-cleanup-service-type
            log-cleanup-configuration
            log-cleanup-configuration?
            log-cleanup-configuration-directory
            log-cleanup-configuration-expiry
            log-cleanup-configuration-schedule))


;;;
;;; The Shepherd's log rotation.
;;;

(define %default-log-rotation-calendar-event
  ;; Every Sunday at 22:00.
  #~(calendar-event #:minutes '(0)
                    #:hours '(22)
                    #:days-of-week '(sunday)))

(define-record-type* <log-rotation-configuration>
  log-rotation-configuration make-log-rotation-configuration
  log-rotation-configuration?
  (provision          log-rotation-configuration-provision      ;list of symbols
                      (default '(log-rotation)))
  (requirement        log-rotation-configuration-requirement    ;list of symbols
                      (default '(user-processes)))
  (calendar-event     log-rotation-configuration-calendar-event ;gexp
                      (default %default-log-rotation-calendar-event))
  ;; Log files not written by shepherd services that are rotated too;
  ;; services such as syslog extend this list.
  (external-log-files log-rotation-configuration-external-log-files
                      (default '()))                           ;list of strings
  (compression        log-rotation-configuration-compression    ;'none 'gzip 'zstd
                      (default 'zstd))
  (expiry             log-rotation-configuration-expiry         ;seconds or gexp
                      (default #~(%default-log-expiry)))
  (size-threshold     log-rotation-configuration-size-threshold ;bytes or gexp
                      (default #~(%default-rotation-size-threshold))))

(define (log-rotation-shepherd-services config)
  (let ((provision (log-rotation-configuration-provision config))
        (requirement (log-rotation-configuration-requirement config)))
    (list (shepherd-service
           (provision provision)
           (requirement requirement)
           (modules '((shepherd service timer)
                      (shepherd service log-rotation)))
           (free-form
            #~(log-rotation-service
               #$(log-rotation-configuration-calendar-event config)
               #:provision '#$provision
               #:requirement '#$requirement
               #:external-log-files
               '#$(log-rotation-configuration-external-log-files config)
               #:compression '#$(log-rotation-configuration-compression config)
               #:expiry #$(log-rotation-configuration-expiry config)
               #:rotation-size-threshold
               #$(log-rotation-configuration-size-threshold config)))))))

(define log-rotation-service-type
  ;; Extended by lists of external log file names.
  (service-type
   (name 'log-rotation)
   (description
    "Periodically rotate log files using the Shepherd's log rotation service.
Run @command{herd status log-rotation} to view its status, @command{herd files
log-rotation} to list files subject to log rotation.")
   (extensions (list (service-extension shepherd-root-service-type
                                        log-rotation-shepherd-services)))
   (compose concatenate)
   (extend (lambda (config log-files)
             (log-rotation-configuration
              (inherit config)
              (external-log-files
               (append (log-rotation-configuration-external-log-files config)
                       log-files)))))
   (default-value (log-rotation-configuration))))


;;;
;;; Removal of old build logs.
;;;

(define-record-type* <log-cleanup-configuration>
  log-cleanup-configuration make-log-cleanup-configuration
  log-cleanup-configuration?
  (directory log-cleanup-configuration-directory) ;string
  (expiry    log-cleanup-configuration-expiry     ;seconds: about six months
             (default (* 6 30 24 3600)))
  (schedule  log-cleanup-configuration-schedule   ;cron string or gexp
             (default "30 12 01,08,15,22 * *")))

(define (log-cleanup-program directory expiry)
  (program-file "delete-old-logs"
                (with-imported-modules '((guix build utils))
                  #~(begin
                      (use-modules (guix build utils))
                      (let* ((now  (car (gettimeofday)))
                             (old? (lambda (file stat)
                                     (> (- now (stat:mtime stat)) #$expiry)))
                             (logs (find-files #$directory old?)))
                        (format #t "deleting ~a log files from '~a'...~%"
                                (length logs) #$directory)
                        (for-each delete-file logs))))))

(define (log-cleanup-shepherd-services config)
  (let ((schedule (log-cleanup-configuration-schedule config))
        (program  (log-cleanup-program
                   (log-cleanup-configuration-directory config)
                   (log-cleanup-configuration-expiry config))))
    (list (shepherd-service
           (provision '(log-cleanup))
           (requirement '(user-processes))
           (modules '((shepherd service timer)))
           (start #~(make-timer-constructor
                     #$(if (string? schedule)
                           #~(cron-string->calendar-event #$schedule)
                           schedule)
                     (command '(#$program))))
           (stop #~(make-timer-destructor))
           (actions (list shepherd-trigger-action))
           (documentation "Periodically delete old log files.")))))

(define log-cleanup-service-type
  (service-type
   (name 'log-cleanup)
   (extensions
    (list (service-extension shepherd-root-service-type
                             log-cleanup-shepherd-services)))
   (description
    "Periodically delete old log files.")))

;;; admin.scm ends here
