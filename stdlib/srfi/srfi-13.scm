;;; (srfi srfi-13): the string library.
;;;
;;; As in Guile, every procedure is a builtin bound in every module (strings
;;; are immutable in schemos: the linear-update procedures such as
;;; `string-upcase!' raise an error); this module re-exports them.

(define-module (srfi srfi-13)
  #:re-export (;; predicates
               string? string-null? string-any string-every
               ;; constructors
               make-string string string-tabulate
               ;; list/string conversion
               string->list list->string reverse-list->string string-join
               ;; selection
               string-length string-ref string-copy substring/shared
               string-copy! string-take string-take-right string-drop
               string-drop-right string-pad string-pad-right string-trim
               string-trim-right string-trim-both
               ;; modification
               string-set! string-fill!
               ;; comparison
               string-compare string-compare-ci string= string<> string<
               string> string<= string>= string-ci= string-ci<> string-ci<
               string-ci> string-ci<= string-ci>= string-hash string-hash-ci
               ;; prefixes and suffixes
               string-prefix-length string-prefix-length-ci
               string-suffix-length string-suffix-length-ci string-prefix?
               string-prefix-ci? string-suffix? string-suffix-ci?
               ;; searching
               string-index string-index-right string-skip string-skip-right
               string-count string-contains string-contains-ci
               ;; alphabetic case mapping
               string-upcase string-upcase! string-downcase string-downcase!
               string-titlecase string-titlecase!
               ;; reverse and append
               string-reverse string-reverse! string-append string-append/shared
               string-concatenate string-concatenate-reverse
               string-concatenate/shared string-concatenate-reverse/shared
               ;; fold, unfold and map
               string-map string-map! string-fold string-fold-right
               string-unfold string-unfold-right string-for-each
               string-for-each-index
               ;; replicate and rotate
               xsubstring string-xcopy!
               ;; miscellaneous
               string-replace string-tokenize
               ;; filtering and deleting
               string-filter string-delete))
