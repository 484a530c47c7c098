;;; (srfi srfi-11): let-values and let*-values, schemos builtin forms.

(define-module (srfi srfi-11)
  #:re-export (let-values let*-values))
