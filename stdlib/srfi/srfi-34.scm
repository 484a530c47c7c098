;;; (srfi srfi-34): exception handling.  `guard' is a builtin form; `raise'
;;; and `with-exception-handler' are builtins (R7RS semantics, as Guile 3's).

(define-module (srfi srfi-34)
  #:re-export (with-exception-handler raise guard))
