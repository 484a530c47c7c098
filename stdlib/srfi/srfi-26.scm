;;; (srfi srfi-26): `cut' and `cute', specializing parameters without currying.
;;;
;;; (cut f <> x <>) is (lambda (a b) (f a x b)); a final <...> collects the
;;; remaining arguments.  `cute' evaluates the non-slot expressions once,
;;; when the procedure is made, instead of at each call.

(define-module (srfi srfi-26)
  #:export (cut cute))

(define-syntax %cut
  ;; (%cut (param ...) (call-part ...) slot-or-expr ...)
  (syntax-rules (<> <...>)
    ((_ (param ...) (f arg ...))
     (lambda (param ...) (f arg ...)))
    ((_ (param ...) (f arg ...) <...>)
     (lambda (param ... . rest) (apply f arg ... rest)))
    ((_ (param ...) (part ...) <> more ...)
     (%cut (param ... x) (part ... x) more ...))
    ((_ (param ...) (part ...) expr more ...)
     (%cut (param ...) (part ... expr) more ...))))

(define-syntax cut
  (syntax-rules ()
    ((_ slot-or-expr ...)
     (%cut () () slot-or-expr ...))))

(define-syntax %cute
  ;; (%cute (param ...) ((tmp expr) ...) (call-part ...) slot-or-expr ...)
  (syntax-rules (<> <...>)
    ((_ (param ...) bindings (f arg ...))
     (let bindings (lambda (param ...) (f arg ...))))
    ((_ (param ...) bindings (f arg ...) <...>)
     (let bindings (lambda (param ... . rest) (apply f arg ... rest))))
    ((_ (param ...) bindings (part ...) <> more ...)
     (%cute (param ... x) bindings (part ... x) more ...))
    ((_ params (binding ...) (part ...) expr more ...)
     (%cute params (binding ... (t expr)) (part ... t) more ...))))

(define-syntax cute
  (syntax-rules ()
    ((_ slot-or-expr ...)
     (%cute () () () slot-or-expr ...))))
