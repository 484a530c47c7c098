;;; (ice-9 ftw): scandir, file-system-fold and file-system-tree.
(use-modules (srfi srfi-64) (ice-9 ftw) (srfi srfi-1))

(test-begin "lib-ice-9-ftw")

;;; a small tree in a fresh temporary directory:
;;;   root/f1  root/link -> f1  root/a/f2  root/a/b/f3  root/c/
(define root
  (string-append (or (getenv "TMPDIR") "/tmp") "/schemos-ftw-"
                 (number->string (random 1000000000))))
(define (path . parts) (string-join (cons root parts) "/"))
(define (touch file) (call-with-output-file file (lambda (port) (display "x" port))))
(mkdir root)
(mkdir (path "a"))
(mkdir (path "a" "b"))
(mkdir (path "c"))
(touch (path "f1"))
(touch (path "a" "f2"))
(touch (path "a" "b" "f3"))
(symlink "f1" (path "link"))

;;; stat objects
(test-eq 'directory (stat:type (stat root)))
(test-eq 'regular (stat:type (stat (path "f1"))))
(test-eq 'symlink (stat:type (lstat (path "link"))))
(test-eq 'regular (stat:type (stat (path "link"))))
(test-equal 1 (stat:size (stat (path "f1"))))
(test-assert (integer? (stat:mtime (stat root))))
(test-assert (integer? (stat:perms (stat root))))
(test-eqv #f (stat (path "nope") #f))
(test-error 'system-error (stat (path "nope")))
(test-eqv #t (file-is-directory? root))
(test-eqv #f (file-is-directory? (path "f1")))

;;; scandir
(test-equal '("." ".." "a" "c" "f1" "link") (scandir root))
(test-equal '("a" "c" "f1" "link")
  (scandir root (lambda (name) (not (string-prefix? "." name)))))
(test-equal '("link" "f1" "c" "a" ".." ".") (scandir root (const #t) string>?))
(test-equal '("f2") (scandir (path "a") (lambda (name) (string-prefix? "f" name))))
(test-eqv #f (scandir (path "nope")))
(test-eqv #f (scandir (path "f1")))

;;; file-system-fold
(define (relative file) (substring file (string-length root)))
(define (events . args)
  ;; the (kind relative-name) events of a traversal, in order
  (reverse
   (apply file-system-fold
          (lambda (name stat result) #t)
          (lambda (name stat result) (cons (list 'leaf (relative name)) result))
          (lambda (name stat result) (cons (list 'down (relative name)) result))
          (lambda (name stat result) (cons (list 'up (relative name)) result))
          (lambda (name stat result) (cons (list 'skip (relative name)) result))
          (lambda (name stat errno result)
            (cons (list 'error (relative name) errno) result))
          '()
          root
          args)))
(define all (events))
(test-equal '(down "") (first all))
(test-equal '(up "") (last all))
(test-equal '((leaf "/a/b/f3") (leaf "/a/f2") (leaf "/f1") (leaf "/link"))
  (sort (filter (lambda (e) (eq? (car e) 'leaf)) all)
        (lambda (x y) (string<? (cadr x) (cadr y)))))
(test-equal '("" "/a" "/a/b" "/c")
  (sort (map cadr (filter (lambda (e) (eq? (car e) 'down)) all)) string<?))
;;; a directory is left after everything below it was visited
(test-assert (< (list-index (lambda (e) (equal? e '(leaf "/a/b/f3"))) all)
                (list-index (lambda (e) (equal? e '(up "/a/b"))) all)
                (list-index (lambda (e) (equal? e '(up "/a"))) all)))
(test-equal 12 (length all))
;;; with stat instead of lstat, the link is a regular file as well
(test-assert (member '(leaf "/link") (events stat)))
;;; skipping a directory
(test-equal '((skip "/a"))
  (filter (lambda (e) (eq? (car e) 'skip))
          (reverse
           (file-system-fold (lambda (name stat result) (not (string-suffix? "/a" name)))
                             (lambda (name stat result) result)
                             (lambda (name stat result) result)
                             (lambda (name stat result) result)
                             (lambda (name stat result) (cons (list 'skip (relative name)) result))
                             (lambda (name stat errno result) result)
                             '()
                             root))))
;;; counting the files and their total size
(test-equal '(4 4)
  (file-system-fold (const #t)
                    (lambda (name stat acc) (list (+ 1 (car acc)) (+ (stat:size stat) (cadr acc))))
                    (lambda (name stat acc) acc)
                    (lambda (name stat acc) acc)
                    (lambda (name stat acc) acc)
                    (lambda (name stat errno acc) acc)
                    '(0 0)
                    root
                    stat))
;;; a file that does not exist is an error; a plain file is a leaf
(test-equal '((error "/nope" 2))
  (file-system-fold (const #t) (lambda (n s r) r) (lambda (n s r) r) (lambda (n s r) r)
                    (lambda (n s r) r)
                    (lambda (name stat errno result) (cons (list 'error (relative name) errno) result))
                    '() (path "nope")))
(test-equal '("/f1")
  (file-system-fold (const #t) (lambda (n s r) (cons (relative n) r))
                    (lambda (n s r) r) (lambda (n s r) r) (lambda (n s r) r)
                    (lambda (n s e r) r) '() (path "f1")))

;;; file-system-tree
(define (names tree)
  ;; (name children ...) with the stat objects left out, children sorted
  (cons (car tree)
        (sort (map names (cddr tree))
              (lambda (x y) (string<? (car x) (car y))))))
(test-equal '("a" ("b" ("f3")) ("f2")) (names (file-system-tree (path "a"))))
(test-equal '("a") (names (file-system-tree (path "a") (lambda (name stat) #f))))
(test-eqv #f (file-system-tree (path "nope")))

;;; clean up
(delete-file (path "link"))
(delete-file (path "a" "b" "f3"))
(delete-file (path "a" "f2"))
(delete-file (path "f1"))
(rmdir (path "a" "b"))
(rmdir (path "a"))
(rmdir (path "c"))
(rmdir root)
(test-eqv #f (file-exists? root))

(test-end "lib-ice-9-ftw")
