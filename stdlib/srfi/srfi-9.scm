;;; (srfi srfi-9): records.  `define-record-type' is a schemos builtin form.

(define-module (srfi srfi-9)
  #:re-export (define-record-type))
