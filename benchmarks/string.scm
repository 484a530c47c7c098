;;; string.scm -- string building and searching.
;;; Measures: string-append of growing strings, substring, string=?,
;;; string-length, number->string and symbol/string conversion.
;;; A string is grown piece by piece, then every window of it is compared
;;; against a few patterns; symbols are made from strings and back.

(define (build-string count)
  (let loop ((i 0) (acc ""))
    (if (= i count)
        acc
        (loop (+ i 1) (string-append acc (number->string (* i 7)) "-")))))

;; Number of positions at which PATTERN occurs in TEXT.
(define (count-occurrences text pattern)
  (let ((n (string-length text))
        (k (string-length pattern)))
    (let loop ((i 0) (count 0))
      (if (> (+ i k) n)
          count
          (loop (+ i 1)
                (if (string=? (substring text i (+ i k)) pattern)
                    (+ count 1)
                    count))))))

;; Number of I below COUNT for which the symbol made from "sym-I" is eq? to
;; the one made from a fresh copy of its name (always all of them).
(define (symbol-round-trips count)
  (let loop ((i 0) (same 0))
    (if (= i count)
        same
        (let* ((name (string-append "sym-" (number->string i)))
               (sym (string->symbol name))
               (again (string->symbol (string-append (symbol->string sym) ""))))
          (loop (+ i 1) (if (eq? sym again) (+ same 1) same))))))

(define (run-string rounds)
  (let loop ((r 0) (result '()))
    (if (= r rounds)
        result
        (let ((text (build-string 1500)))
          (loop (+ r 1)
                (list (string-length text)
                      (count-occurrences text "7-")
                      (count-occurrences text "14")
                      (count-occurrences text "-1")
                      (symbol-round-trips 2000)))))))

(display (run-string 40))
(newline)
