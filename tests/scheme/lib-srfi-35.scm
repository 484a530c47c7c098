;;; (srfi srfi-35): conditions, as Guix uses them.
(use-modules (srfi srfi-64) (srfi srfi-35) (srfi srfi-34))

(test-begin "lib-srfi-35")

;;; the standard condition types
(test-eqv #t (condition-type? &condition))
(test-eqv #t (condition-type? &message))
(test-eqv #t (condition-type? &serious))
(test-eqv #t (condition-type? &error))
(test-eqv #f (condition-type? 5))
(define m (make-condition &message 'message "hello"))
(test-eqv #t (condition? m))
(test-eqv #f (condition? 5))
(test-eqv #t (message-condition? m))
(test-equal "hello" (condition-message m))
(test-equal "hello" (condition-ref m 'message))
(test-eqv #f (serious-condition? m))
(test-eqv #f (error? m))
(test-eqv #t (condition-has-type? m &message))
(test-eqv #t (condition-has-type? m &condition))
(test-eqv #f (condition-has-type? m &error))
(test-eqv #t (serious-condition? (make-condition &error)))
(test-eqv #t (error? (make-condition &error)))
(test-eqv #f (error? (make-condition &serious)))
(test-equal "#<&message message: \"hello\">" (object->string m))

;;; user-defined condition types, as Guix defines them
(define-condition-type &package-error &error
  package-error?
  (package package-error-package))
(define-condition-type &package-input-error &package-error
  package-input-error?
  (input package-error-invalid-input))

(define pe (condition (&package-error (package 'hello))))
(test-eqv #t (package-error? pe))
(test-eqv #f (package-error? 42))
(test-eqv #f (package-error? m))
(test-equal 'hello (package-error-package pe))
(test-eqv #t (error? pe))
(test-eqv #t (serious-condition? pe))
(test-eqv #f (message-condition? pe))
(test-eqv #t (condition-type? &package-error))
(test-equal "#<&package-error package: hello>" (object->string pe))
(test-equal "#<record-type &package-error>" (object->string &package-error))
(define pie (make-condition &package-input-error 'package 'p 'input 'i))
(test-equal '(#t #t p i)
  (list (package-error? pie) (package-input-error? pie)
        (package-error-package pie) (package-error-invalid-input pie)))
(test-eqv #f (package-input-error? pe))
(test-error #t (package-error-invalid-input pe))
(test-error #t (make-condition &package-input-error 'package 'p))
(test-error #t (make-condition &package-error 'package 'p 'nope 1))
(test-error #t (condition-ref pe 'nope))
(test-equal '(package input) (record-type-fields &package-input-error))

;;; compound conditions
(define both (condition (&package-error (package 'gcc))
                        (&message (message "build failed"))))
(test-eqv #t (package-error? both))
(test-eqv #t (message-condition? both))
(test-equal 'gcc (package-error-package both))
(test-equal "build failed" (condition-message both))
(test-equal "build failed" (condition-ref both 'message))
(test-equal 'gcc (condition-ref both 'package))
(test-equal pe (extract-condition (make-compound-condition pe m) &package-error))
(test-equal m (extract-condition (make-compound-condition pe m) &message))
(test-eqv #f (extract-condition pe &message))
(test-equal pie (extract-condition (make-compound-condition m pie) &package-error))
(test-eq pe (make-compound-condition pe))
(test-equal 3 (length ((record-accessor (record-type-descriptor (make-compound-condition pe m)) (quote components))
                       (make-compound-condition pe (make-compound-condition m pie)))))
(test-equal "#<&compound-exception components: (#<&package-error package: hello> #<&message message: \"hello\">)>"
  (object->string (make-compound-condition pe m)))

;;; raising conditions and catching them with guard
(test-equal "oops"
  (guard (c ((message-condition? c) (condition-message c)))
    (raise (condition (&message (message "oops"))))))
(test-equal 'gcc
  (guard (c ((package-error? c) (package-error-package c)))
    (raise both)))
(test-equal '(input-error i)
  (guard (c ((package-input-error? c) (list 'input-error (package-error-invalid-input c)))
            ((package-error? c) 'package-error))
    (raise pie)))
(test-equal 'package-error
  (guard (c ((package-input-error? c) 'input-error)
            ((package-error? c) 'package-error))
    (raise pe)))
(test-equal 'not-a-condition
  (guard (c ((condition? c) 'condition) (else 'not-a-condition))
    (raise 'boom)))
(test-equal "caught: build failed"
  (guard (c ((and (error? c) (message-condition? c))
             (string-append "caught: " (condition-message c))))
    (raise both)))

;;; errors raised by `error' and by builtins are conditions too
(test-equal '(#t #t #t #f)
  (guard (c (#t (list (condition? c) (serious-condition? c) (message-condition? c)
                      (error? c))))
    (error "boom" 1 2)))
(test-equal '(#t #t)
  (guard (c (#t (list (condition? c) (message-condition? c))))
    (car 1)))
(test-equal '(#t #t #f)
  (guard (c (#t (list (condition? c) (serious-condition? c) (message-condition? c))))
    (throw 'my-key 1)))

(test-end "lib-srfi-35")
