;;; Escaping continuations: call/cc, call-with-escape-continuation,
;;; dynamic-wind.
(use-modules (srfi srfi-64) (ice-9 control))

(test-begin "continuations")

;;; call/cc used for early exit
(test-eqv -3
  (call-with-current-continuation
    (lambda (exit)
      (for-each (lambda (x) (if (negative? x) (exit x))) '(54 0 37 -3 245 19))
      #t)))
(test-eqv #t
  (call/cc
    (lambda (exit)
      (for-each (lambda (x) (if (negative? x) (exit x))) '(1 2 3))
      #t)))
(define (list-length obj)
  (call-with-current-continuation
    (lambda (return)
      (letrec ((r (lambda (obj)
                    (cond ((null? obj) 0)
                          ((pair? obj) (+ (r (cdr obj)) 1))
                          (else (return #f))))))
        (r obj)))))
(test-eqv 4 (list-length '(1 2 3 4)))
(test-eqv #f (list-length '(a b . c)))

;;; returning normally, and escaping with values
(test-eqv 5 (call/cc (lambda (k) 5)))
(test-eqv 43 (+ 1 (call/cc (lambda (k) (+ 10 (k 42))))))
(test-equal '(1 2) (call-with-values (lambda () (call/cc (lambda (k) (k 1 2)))) list))
(test-equal '() (call-with-values (lambda () (call/cc (lambda (k) (k)))) list))
(test-assert (call/cc (lambda (k) (procedure? k))))

;;; nested escapes
(test-eq 'outer
  (call/cc (lambda (outer)
             (call/cc (lambda (inner) (outer 'outer)))
             'fell-through)))
(test-eq 'after-inner
  (call/cc (lambda (outer)
             (call/cc (lambda (inner) (inner 'ignored)))
             'after-inner)))

;;; escape from deep recursion
(define (find-first pred tree)
  (call/cc
    (lambda (return)
      (let walk ((t tree))
        (cond ((pair? t) (walk (car t)) (walk (cdr t)))
              ((and (not (null? t)) (pred t)) (return t))))
      #f)))
(test-eqv 4 (find-first even? '(1 (3 (5 4) 6) 8)))
(test-eqv #f (find-first even? '(1 (3 (5 7)) 9)))

;;; call-with-escape-continuation, call/ec and let/ec
(test-eqv 42 (call-with-escape-continuation (lambda (k) (+ 1 (k 42)))))
(test-eqv 1 (call/ec (lambda (k) 1)))
(test-eqv 5 (call/ec (lambda (k) (for-each (lambda (x) (when (> x 4) (k x))) '(1 3 5 7)) 'none)))
(test-eqv 5 (let/ec k (+ 1 (k 5))))

;;; dynamic-wind
(test-equal '(before during after)
  (let ((log '()))
    (dynamic-wind
      (lambda () (set! log (cons 'before log)))
      (lambda () (set! log (cons 'during log)))
      (lambda () (set! log (cons 'after log))))
    (reverse log)))
(test-eqv 'result
  (dynamic-wind (lambda () #f) (lambda () 'result) (lambda () 'ignored)))
;; escaping through dynamic-wind runs the after thunks, innermost first
(test-equal '(in1 in2 body out2 out1 escaped)
  (let ((log '()))
    (define (note x) (set! log (cons x log)))
    (call/cc
      (lambda (k)
        (dynamic-wind
          (lambda () (note 'in1))
          (lambda ()
            (dynamic-wind
              (lambda () (note 'in2))
              (lambda () (note 'body) (k 'x) (note 'not-reached))
              (lambda () (note 'out2))))
          (lambda () (note 'out1)))))
    (note 'escaped)
    (reverse log)))
;; escaping to a continuation inside the outer wind runs only the inner after
(test-equal '(in1 in2 out2 between out1)
  (let ((log '()))
    (define (note x) (set! log (cons x log)))
    (dynamic-wind
      (lambda () (note 'in1))
      (lambda ()
        (call/ec
          (lambda (k)
            (dynamic-wind
              (lambda () (note 'in2))
              (lambda () (k 'x))
              (lambda () (note 'out2)))))
        (note 'between))
      (lambda () (note 'out1)))
    (reverse log)))
;; the value of the escape is delivered after the after thunks ran
(test-equal '(out escaped-value)
  (let ((log '()))
    (let ((v (call/cc
               (lambda (k)
                 (dynamic-wind
                   (lambda () #f)
                   (lambda () (k 'escaped-value))
                   (lambda () (set! log (cons 'out log))))))))
      (list (car log) v))))
;; dynamic-wind around an error
(test-equal '(in out handled)
  (let ((log '()))
    (define (note x) (set! log (cons x log)))
    (catch #t
      (lambda ()
        (dynamic-wind (lambda () (note 'in)) (lambda () (car '())) (lambda () (note 'out))))
      (lambda args (note 'handled)))
    (reverse log)))

;;; continuations and loops: a break out of do
(test-eqv 7
  (call/cc
    (lambda (break)
      (do ((i 0 (+ i 1))) ((= i 100) 'done)
        (when (= i 7) (break i))))))

;;; the continuation of the test body itself can be used for early return
(define (safe-div a b)
  (call/cc (lambda (k) (when (zero? b) (k 'undefined)) (/ a b))))
(test-eqv 5 (safe-div 10 2))
(test-eq 'undefined (safe-div 1 0))

(test-end "continuations")
