;;; (srfi srfi-39): parameter objects (builtins in schemos, as in Guile).

(define-module (srfi srfi-39)
  #:re-export (make-parameter parameterize
               current-input-port current-output-port current-error-port)
  #:export (with-parameters*))

(define (with-parameters* params values thunk)
  "Call THUNK with each parameter of PARAMS bound to the value in VALUES."
  (%parameterize params values thunk))
