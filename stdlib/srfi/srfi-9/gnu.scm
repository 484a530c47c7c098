;;; (srfi srfi-9 gnu): Guile's extensions to SRFI-9 records.
;;;
;;; `set-record-type-printer!' is a builtin (the printer calls the procedure
;;; with the record and a port).  `define-immutable-record-type' makes
;;; records whose "modifiers" are functional setters: (set-foo r v) returns
;;; a copy of R whose field is V.  `set-field' and `set-fields' are missing.

(define-module (srfi srfi-9 gnu)
  #:re-export (set-record-type-printer!)
  #:export (define-immutable-record-type))

(define (%record-with type record field value who)
  ;; a copy of RECORD (of TYPE) with FIELD set to VALUE
  (unless ((record-predicate type) record)
    (scm-error 'wrong-type-arg (symbol->string who)
               "Wrong type argument: ~S" (list record) (list record)))
  (apply (record-constructor type)
         (map (lambda (f)
                (if (eq? f field) value ((record-accessor type f) record)))
              (record-type-fields type))))

(define-syntax %immutable-record-type
  ;; sort the field specs into accessors (for define-record-type) and
  ;; functional setter definitions
  (syntax-rules ()
    ((_ type ctor pred (spec ...) (setter-def ...))
     (begin
       (define-record-type type ctor pred spec ...)
       setter-def ...))
    ((_ type ctor pred (spec ...) (setter-def ...) (field accessor) rest ...)
     (%immutable-record-type type ctor pred (spec ... (field accessor))
                             (setter-def ...) rest ...))
    ((_ type ctor pred (spec ...) (setter-def ...) (field accessor setter) rest ...)
     (%immutable-record-type type ctor pred (spec ... (field accessor))
                             (setter-def ...
                              (define (setter record value)
                                (%record-with type record 'field value 'setter)))
                             rest ...))))

(define-syntax define-immutable-record-type
  (syntax-rules ()
    ((_ type ctor pred field-spec ...)
     (%immutable-record-type type ctor pred () () field-spec ...))))
