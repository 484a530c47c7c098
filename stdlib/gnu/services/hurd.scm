;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu services hurd): the Hurd's console client and gettys, as in
;;; GNU Guix 1.5.  Together with the guix daemon, syslog, special files and
;;; a loopback interface from (gnu services base) they make up
;;; '%base-services/hurd', which (gnu system hurd) defines.

(define-module (gnu services hurd)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages hurd) #:select (hurd))
  #:export (hurd-console-configuration
            hurd-console-configuration?
            hurd-console-configuration-hurd
            hurd-console-service-type

            hurd-getty-configuration
            hurd-getty-configuration?
            hurd-getty-configuration-hurd
            hurd-getty-configuration-tty
            hurd-getty-configuration-baud-rate
            hurd-getty-service-type))


;;;
;;; The VGA console.
;;;

(define-record-type* <hurd-console-configuration>
  hurd-console-configuration make-hurd-console-configuration
  hurd-console-configuration?
  (hurd hurd-console-configuration-hurd           ;file-like
        (default hurd)))

(define (hurd-console-shepherd-service config)
  "The shepherd service running the Hurd's console client on the VGA screen
and the PC keyboard, with virtual consoles in /dev/vcs."
  (let ((command #~(list (string-append
                          #$(hurd-console-configuration-hurd config)
                          "/bin/console")
                         "-c" "/dev/vcs"
                         "-d" "vga"
                         "-d" "pc_kbd"
                         "-d" "generic_speaker")))
    (list (shepherd-service
           (documentation "Run the Hurd’s VGA console client.")
           (provision '(console))
           (requirement '(user-processes))
           (start #~(make-forkexec-constructor #$command))
           (stop #~(make-kill-destructor))))))

(define hurd-console-service-type
  (service-type
   (name 'console)
   (description "Run the Hurd console client.")
   (extensions
    (list (service-extension shepherd-root-service-type
                             hurd-console-shepherd-service)))
   (default-value (hurd-console-configuration))))


;;;
;;; Gettys.
;;;

(define-record-type* <hurd-getty-configuration>
  hurd-getty-configuration make-hurd-getty-configuration
  hurd-getty-configuration?
  (hurd      hurd-getty-configuration-hurd        ;file-like
             (default hurd))
  (tty       hurd-getty-configuration-tty)        ;string, e.g. "tty1"
  (baud-rate hurd-getty-configuration-baud-rate   ;integer
             (default 38400)))

(define (hurd-getty-shepherd-service config)
  "The shepherd service 'term-TTY' running the Hurd's getty on TTY, once the
console client runs."
  (let* ((tty (hurd-getty-configuration-tty config))
         (command #~(list (string-append
                           #$(hurd-getty-configuration-hurd config)
                           "/libexec/getty")
                          #$(number->string
                             (hurd-getty-configuration-baud-rate config))
                          #$tty)))
    (list (shepherd-service
           (documentation "Run getty on a tty.")
           (provision (list (string->symbol (string-append "term-" tty))))
           (requirement '(user-processes console))
           (start #~(make-forkexec-constructor #$command))
           (stop #~(make-kill-destructor))))))

(define hurd-getty-service-type
  ;; No default value: every getty needs its tty.
  (service-type
   (name 'getty)
   (extensions (list (service-extension shepherd-root-service-type
                                        hurd-getty-shepherd-service)))
   (description
    "Provide console login using the Hurd @command{getty} program.")))

;;; hurd.scm ends here
