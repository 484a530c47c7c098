;;; (srfi srfi-35): conditions, as Guile 3.0 provides them.
;;;
;;; The procedures come from the internal module (schemos srfi-35) (see
;;; schemos/runtime/conditions.py); the syntax is defined here.  The errors
;;; schemos raises (`error', `throw', the builtins' errors) are conditions
;;; too: `condition?', `serious-condition?' and (except for `throw')
;;; `message-condition?' are true of them, as in Guile.

(define-module (srfi srfi-35)
  #:use-module (schemos srfi-35)
  #:re-export (&condition &message &serious &error
               make-condition-type condition-type? make-condition
               make-compound-condition condition? condition-has-type?
               condition-ref extract-condition message-condition?
               condition-message serious-condition? error?)
  #:export (define-condition-type condition))

(define-syntax define-condition-type
  (syntax-rules ()
    ((_ type parent predicate (field accessor) ...)
     (begin
       (define type (make-condition-type 'type parent '(field ...)))
       (define (predicate obj)
         (%condition-of-type? obj type))
       (define (accessor condition)
         (%condition-field-ref condition type 'field))
       ...))))

(define-syntax condition
  ;; (condition (type (field value) ...) ...)
  (syntax-rules ()
    ((_ (type (field value) ...))
     (%make-condition/alist type (list (cons 'field value) ...)))
    ((_ (type (field value) ...) ...)
     (make-compound-condition
      (%make-condition/alist type (list (cons 'field value) ...))
      ...))))
