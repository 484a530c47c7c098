;;; nqueens.scm -- count the solutions of the N-queens puzzle, repeated.
;;; Measures: list allocation (cons, append), short list walks, non-tail
;;; recursion and fixnum arithmetic.
;;; Expected output: 92 (the number of solutions for 8 queens)

(define (one-to n)
  (let loop ((i n) (acc '()))
    (if (= i 0)
        acc
        (loop (- i 1) (cons i acc)))))

;; Is ROW safe with respect to the queens already PLACED?  The nearest
;; placed queen is at distance DIST (in columns) from the new one.
(define (safe? row dist placed)
  (cond ((null? placed) #t)
        ((or (= (car placed) (+ row dist))
             (= (car placed) (- row dist)))
         #f)
        (else (safe? row (+ dist 1) (cdr placed)))))

;; CANDIDATES are the rows still to be tried for the next column, SKIPPED
;; are rows put aside for later columns, PLACED are rows used so far.
(define (place candidates skipped placed)
  (if (null? candidates)
      (if (null? skipped) 1 0)
      (let ((row (car candidates))
            (others (cdr candidates)))
        (+ (if (safe? row 1 placed)
               (place (append others skipped) '() (cons row placed))
               0)
           (place others (cons row skipped) placed)))))

(define (queens n)
  (place (one-to n) '() '()))

(define (repeat-queens times n)
  (do ((i 0 (+ i 1))
       (result 0 (queens n)))
      ((= i times) result)))

(display (repeat-queens 80 8))
(newline)
