;;; (ice-9 regex): regular expression matching and substitution.
;;;
;;; POSIX extended regular expressions, translated to Python's `re' (see
;;; schemos/runtime/regex.py for the differences: matches are leftmost but
;;; not always longest).  A match is a vector #(string (start . end) ...),
;;; as in Guile.  `make-regexp', `regexp-exec' and the regexp/... flags are
;;; core builtins; the procedures below are builtins too, re-exported here.

(define-module (ice-9 regex)
  #:re-export (match:count match:string match:prefix match:suffix
               regexp-match? regexp-quote match:start match:end match:substring
               string-match regexp-substitute fold-matches list-matches
               regexp-substitute/global))
