;;; (ice-9 receive): `receive', a schemos builtin form.
;;;
;;;   (receive (q r) (floor/ 7 2) (list q r))  => (3 1)

(define-module (ice-9 receive)
  #:re-export (receive))
