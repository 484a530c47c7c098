;;; (srfi srfi-69): basic hash tables.
;;;
;;; The tables and procedures come from the internal module (schemos srfi-69)
;;; (see schemos/runtime/srfi69.py).  As in Guile, this module's
;;; `make-hash-table', `hash-table?' and `hash' replace the core ones in the
;;; modules that import it: (make-hash-table) makes an SRFI-69 table, and
;;; (make-hash-table string=?) one comparing keys with `string=?'.

(define-module (srfi srfi-69)
  #:use-module (schemos srfi-69)
  #:re-export (;; constructors and predicate
               make-hash-table hash-table? alist->hash-table
               ;; reflective queries
               hash-table-equivalence-function hash-table-hash-function
               ;; single elements
               hash-table-ref hash-table-ref/default hash-table-set!
               hash-table-delete! hash-table-exists? hash-table-contains?
               hash-table-update! hash-table-update!/default
               ;; the whole contents
               hash-table-size hash-table-keys hash-table-values
               hash-table-walk hash-table-fold hash-table->alist
               hash-table-copy hash-table-merge!
               ;; hashing
               hash string-hash string-ci-hash hash-by-identity))
