;;; assoc-hash.scm -- association lists and (Guile) hash tables.
;;; Measures: assoc (equal? on string keys) over a long alist, and
;;; make-hash-table / hash-set! / hash-ref with string and symbol keys.
;;; Output: a checksum from the alist phase and two from the hash phase.

(define (key-string i)
  (string-append "key-" (number->string i)))

(define (build-alist n)
  (let loop ((i 0) (acc '()))
    (if (= i n)
        acc
        (loop (+ i 1) (cons (cons (key-string i) (* i 3)) acc)))))

(define (alist-phase n lookups)
  (let ((alist (build-alist n)))
    (let loop ((j 0) (sum 0))
      (if (= j lookups)
          sum
          (let ((entry (assoc (key-string (modulo (* j 37) (+ n 10))) alist)))
            (loop (+ j 1) (if entry (+ sum (cdr entry)) (- sum 1))))))))

(define (hash-phase n rounds)
  (let ((by-string (make-hash-table))
        (by-symbol (make-hash-table)))
    (do ((i 0 (+ i 1)))
        ((= i n))
      (hash-set! by-string (key-string i) i)
      (hash-set! by-symbol (string->symbol (key-string i)) (* 2 i)))
    (do ((r 0 (+ r 1)))
        ((= r rounds))
      (do ((i 0 (+ i 1)))
          ((= i n))
        (let ((k (key-string (modulo (+ i r) n))))
          (hash-set! by-string k (+ 1 (hash-ref by-string k 0)))
          (hash-set! by-symbol (string->symbol k)
                     (+ (hash-ref by-symbol (string->symbol k) 0)
                        (hash-ref by-string k 0))))))
    (let loop ((i 0) (s1 0) (s2 0))
      (if (= i n)
          (list s1 s2)
          (loop (+ i 1)
                (+ s1 (hash-ref by-string (key-string i) 0))
                (+ s2 (hash-ref by-symbol (string->symbol (key-string i)) 0)))))))

(display (alist-phase 1000 24000))
(newline)
(display (hash-phase 5000 50))
(newline)
