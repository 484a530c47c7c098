;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu services sysctl): setting Linux kernel parameters at boot, as in
;;; Guix 1.5.  Part of %base-services.

(define-module (gnu services sysctl)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages linux) #:select (procps))
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (srfi srfi-1)
  #:export (sysctl-configuration
            sysctl-configuration?
            sysctl-configuration-sysctl
            sysctl-configuration-settings
            sysctl-service-type
            %default-sysctl-settings))

(define %default-sysctl-settings
  ;; Kernel parameters set on every system: protect against hard and
  ;; symbolic link attacks in world-writable directories.
  '(("fs.protected_hardlinks" . "1")
    ("fs.protected_symlinks" . "1")))

(define-record-type* <sysctl-configuration>
  sysctl-configuration make-sysctl-configuration
  sysctl-configuration?
  (sysctl   sysctl-configuration-sysctl           ;file-like: the command
            (default (file-append procps "/sbin/sysctl")))
  (settings sysctl-configuration-settings         ;alist of string pairs
            (default %default-sysctl-settings)))

(define (settings->sysctl.conf settings)
  "A sysctl.conf file with one KEY=VALUE line per pair of SETTINGS."
  (apply mixed-text-file "sysctl.conf"
         (append-map (lambda (setting)
                       (list (car setting) "=" (cdr setting) "\n"))
                     settings)))

(define (sysctl-shepherd-service config)
  (let ((sysctl (sysctl-configuration-sysctl config))
        (file   (settings->sysctl.conf (sysctl-configuration-settings config))))
    (shepherd-service
     (documentation "Configure kernel parameters at boot.")
     (provision '(sysctl))
     (start #~(lambda _
                (zero? (system* #$sysctl "--load" #$file))))
     (one-shot? #t))))

(define sysctl-service-type
  ;; Extended by alists of settings, added to the configured ones.
  (service-type
   (name 'sysctl)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (sysctl-shepherd-service config))))))
   (compose concatenate)
   (extend (lambda (config settings)
             (sysctl-configuration
              (inherit config)
              (settings (append (sysctl-configuration-settings config)
                                settings)))))
   (default-value (sysctl-configuration))
   (description "Set Linux kernel parameters under @file{/proc/sys} at system
startup.")))

;;; sysctl.scm ends here
