;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix scripts offload): the build machines 'guix offload' sends builds
;;; to, as listed in /etc/guix/machines.scm.
;;;
;;; The model of the data part of GNU Guix 1.5's module of the same name:
;;; the <build-machine> and <build-requirements> records.  Guix loads
;;; machines.scm in a fresh module that uses this one, and the file's value
;;; must be a list of build machines; 'build-machines' does the same with
;;; schemos' evaluator.  Offloading itself (SSH sessions, build slots) is
;;; not modelled.

(define-module (guix scripts offload)
  #:use-module ((guix records) #:hide (define-record-type*))
  #:use-module (schemos system-support)
  #:export (build-machine
            build-machine?
            build-machine-name
            build-machine-port
            build-machine-systems
            build-machine-system                  ;deprecated
            build-machine-user
            build-machine-private-key
            build-machine-host-key
            build-machine-compression
            build-machine-compression-level
            build-machine-daemon-socket
            build-machine-overload-threshold
            build-machine-parallel-builds
            build-machine-speed
            build-machine-features
            build-machine-location

            build-requirements
            build-requirements?
            build-requirements-system
            build-requirements-features

            build-machines))

(define (user-openssh-private-key)
  "Return the user's default SSH private key, or #f if it could not be
determined."
  (and=> (getenv "HOME")
         (lambda (home) (string-append home "/.ssh/id_rsa"))))

(define-record-type* <build-machine>
  build-machine make-build-machine
  build-machine?
  (name            build-machine-name)            ; string
  (port            build-machine-port             ; number
                   (default 22))
  (systems         %build-machine-systems         ; list of strings
                   (default #f))                  ; drop default after system is removed
  (system          %build-machine-system          ; deprecated
                   (default #f))
  (user            build-machine-user)            ; string
  (private-key     build-machine-private-key      ; file name
                   (default (user-openssh-private-key)))
  (host-key        build-machine-host-key)        ; string
  (compression     build-machine-compression      ; string
                   (default "zlib@openssh.com,zlib"))
  (compression-level build-machine-compression-level ;integer
                     (default 3))
  (daemon-socket   build-machine-daemon-socket    ; string
                   (default "/var/guix/daemon-socket/socket"))
  ;; #f: disregard the load of the machine when choosing where to offload.
  (overload-threshold build-machine-overload-threshold ; inexact real between
                      (default 0.6))                   ; 0.0 and 1.0 | #f
  (parallel-builds build-machine-parallel-builds  ; number
                   (default 1))
  (speed           build-machine-speed            ; inexact real
                   (default 1.0))
  (features        build-machine-features         ; list of strings
                   (default '()))
  (location        build-machine-location
                   (default (and=> (current-source-location)
                                   source-properties->location))
                   (innate)))

(define (build-machine-system machine)
  "Deprecated: the 'system' field of MACHINE; use 'systems'."
  (warning (build-machine-location machine)
           "The 'system' field is deprecated, please use 'systems' instead.~%")
  (%build-machine-system machine))

(define (build-machine-systems machine)
  "The systems MACHINE builds for: its 'systems' field, else a list of its
deprecated 'system' field."
  (or (%build-machine-systems machine)
      (and (%build-machine-system machine)
           (list (build-machine-system machine)))
      (raise-located-error (build-machine-location machine)
                           "The build-machine object lacks a value for its \
'systems' field.")))

(define-record-type* <build-requirements>
  build-requirements make-build-requirements
  build-requirements?
  (system          build-requirements-system)     ; string
  (features        build-requirements-features    ; list of strings
                   (default '())))

(define (build-machines value file)
  "Check that VALUE, what FILE (a machines.scm) evaluated to, is a list of
build machines and return it; otherwise warn, as 'guix offload' does, and
return the empty list."
  (if (and (list? value) (every build-machine? value))
      value
      (begin
        (warning #f "'~a' did not return a list of build machines; \
ignoring it~%" file)
        '())))
