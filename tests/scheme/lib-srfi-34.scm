;;; (srfi srfi-34): raise, guard and with-exception-handler.
(use-modules (srfi srfi-64) (srfi srfi-34)
             ((scheme base) #:select (error-object? raise-continuable)))

(test-begin "lib-srfi-34")

(test-equal 42 (guard (e (#t e)) (raise 42)))
(test-equal '(caught sym) (guard (e ((symbol? e) (list 'caught e))) (raise 'sym)))
(test-equal 'string
  (guard (e ((symbol? e) 'symbol) ((string? e) 'string)) (raise "boom")))
(test-equal 'else (guard (e ((symbol? e) 'symbol) (else 'else)) (raise 1)))
(test-equal 43 (guard (e ((assq 'a e) => cdr) ((assq 'b e))) (raise (list (cons 'a 43)))))
(test-equal '(b . 23) (guard (e ((assq 'a e) => cdr) ((assq 'b e))) (raise (list (cons 'b 23)))))
(test-equal 'reraised
  (guard (outer (#t 'reraised))
    (guard (inner ((string? inner) 'no))
      (raise 'x))))
(test-equal 'no-error (guard (e (#t 'caught)) 'no-error))
(test-equal 'error-caught (guard (e ((error-object? e) 'error-caught)) (error "bad" 1)))
(test-equal 11
  (with-exception-handler
   (lambda (e) 10)
   (lambda () (+ 1 (raise-continuable 'oops)))))
(test-equal 'handled
  (call/cc
   (lambda (k)
     (with-exception-handler
      (lambda (e) (k 'handled))
      (lambda () (raise 'boom))))))
(test-equal '(1 . 2)
  (guard (e ((pair? e) e))
    (with-exception-handler
     (lambda (e) (raise (cons e 2)))
     (lambda () (raise 1)))))
(test-error #t (with-exception-handler (lambda (e) 'returned) (lambda () (raise 'x))))
(test-equal '(after caught)
  (let ((log '()))
    (guard (e (#t (set! log (cons 'caught log))))
      (dynamic-wind (lambda () #f)
                    (lambda () (raise 'x))
                    (lambda () (set! log (cons 'after log)))))
    (reverse log)))

(test-end "lib-srfi-34")
