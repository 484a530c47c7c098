;;; (ice-9 format): Guile's `format', with all its directives.
;;;
;;; The builtin `format' already implements them; the one this module
;;; exports differs only in returning #t, not an unspecified value, when it
;;; writes to a port (as Guile's does).

(define-module (ice-9 format)
  #:use-module (schemos ice-9 format)
  #:re-export (format))
