;;; (srfi srfi-71): `let', `let*' and `letrec' with multiple-value bindings.
;;;
;;;   (let ((q r (floor/ 7 2))) (list q r))  => (3 1)
;;;
;;; As in Guile, importing this module replaces the core `let', `let*' and
;;; `letrec'; bindings of the ordinary shape expand to the core forms.  The
;;; forms are Python transformers from (schemos srfi-71).

(define-module (srfi srfi-71)
  #:use-module (schemos srfi-71)
  #:re-export (let let* letrec uncons unlist unvector values->list
               values->vector))
