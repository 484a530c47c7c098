;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix search-paths): search path specifications, as far as the
;;; build-side profile code of schemos needs them -- reading the
;;; s-expressions a manifest holds and finding the directories of a profile
;;; that a specification names.  GNU Guix's module has more.

(define-module (guix search-paths)
  #:use-module (srfi srfi-1)
  #:export (search-path-specification
            search-path-specification?
            search-path-specification-variable
            search-path-specification-files
            search-path-specification-separator
            search-path-specification-file-type
            search-path-specification-file-pattern
            $PATH
            sexp->search-path-specification
            search-path-specification->sexp
            evaluate-search-paths))

(define* (search-path-specification #:key variable files (separator ":")
                                    (file-type 'directory) file-pattern)
  (vector 'search-path-specification variable files separator file-type
          file-pattern))

(define (search-path-specification? x)
  (and (vector? x) (= 6 (vector-length x))
       (eq? 'search-path-specification (vector-ref x 0))))

(define (search-path-specification-variable s) (vector-ref s 1))
(define (search-path-specification-files s) (vector-ref s 2))
(define (search-path-specification-separator s) (vector-ref s 3))
(define (search-path-specification-file-type s) (vector-ref s 4))
(define (search-path-specification-file-pattern s) (vector-ref s 5))

(define $PATH
  (search-path-specification #:variable "PATH" #:files '("bin" "sbin")))

(define (sexp->search-path-specification sexp)
  "The specification of SEXP, as manifests write them:
(VARIABLE FILES SEPARATOR FILE-TYPE FILE-PATTERN)."
  (let ((variable (list-ref sexp 0))
        (files (list-ref sexp 1))
        (separator (if (> (length sexp) 2) (list-ref sexp 2) ":"))
        (type (if (> (length sexp) 3) (list-ref sexp 3) 'directory))
        (pattern (if (> (length sexp) 4) (list-ref sexp 4) #f)))
    (search-path-specification #:variable variable #:files files
                               #:separator separator #:file-type type
                               #:file-pattern pattern)))

(define (search-path-specification->sexp s)
  (list (search-path-specification-variable s)
        (search-path-specification-files s)
        (search-path-specification-separator s)
        (search-path-specification-file-type s)
        (search-path-specification-file-pattern s)))

(define (evaluate-search-paths search-paths directories)
  "A list of (SPEC . VALUE) for the SEARCH-PATHS some of whose files exist
under DIRECTORIES; VALUE joins them with the separator (the first only when
the separator is #f)."
  (filter-map
   (lambda (spec)
     (let* ((wanted (append-map
                     (lambda (dir)
                       (filter-map
                        (lambda (file)
                          (let* ((f (string-append dir "/" file))
                                 (s (stat f #f)))
                            (and s
                                 (case (search-path-specification-file-type spec)
                                   ((directory) (eq? 'directory (stat:type s)))
                                   ((regular) (eq? 'regular (stat:type s)))
                                   (else #t))
                                 f)))
                        (search-path-specification-files spec)))
                     directories))
            (separator (search-path-specification-separator spec)))
       (and (pair? wanted)
            (cons spec (if separator
                           (string-join wanted separator)
                           (car wanted))))))
   search-paths))
