;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix build union): build-side union of directories, as GNU Guix's
;;; module of the same name makes them -- a tree of symbolic links to the
;;; files of the inputs, with real directories where several inputs have
;;; the same directory.  Its text is not Guix's (so neither is the store
;;; path of a "module-import" directory holding it); what it builds is.

(define-module (guix build union)
  #:use-module (srfi srfi-1)
  #:export (union-build
            file-is-directory?
            warn-about-collision))

(define (file-is-directory? file)
  "True if FILE is a directory or a symbolic link to one."
  (let ((s (stat file #f)))
    (and s (eq? 'directory (stat:type s)))))

(define (file-exists/no-follow? file)
  (false-if-exception (lstat file)))

(define (warn-about-collision files)
  "Warn about the collision of FILES and choose the first one."
  (format (current-error-port) "warning: collision encountered:~{ ~a~}~%" files)
  (format (current-error-port) "warning: choosing ~a~%" (car files))
  (car files))

(define (directory-entries directory)
  (filter (lambda (name) (not (member name '("." ".."))))
          (or (scandir (string-append directory "/")) '())))

(define* (union-build output inputs
                      #:key (log-port (current-error-port))
                      (create-all-directories? #f)
                      (symlink symlink)
                      (resolve-collision warn-about-collision))
  "Build in OUTPUT a directory that is the union of the INPUTS directories:
symbolic links to their files, directories made where inputs share one."
  (define (union-of-directories out directories)
    (let ((names (sort (delete-duplicates
                        (append-map directory-entries directories))
                       string<?)))
      (for-each
       (lambda (name)
         (let ((target (string-append out "/" name))
               (files (filter-map (lambda (d)
                                    (let ((f (string-append d "/" name)))
                                      (and (file-exists/no-follow? f) f)))
                                  directories)))
           (cond ((and (null? (cdr files))
                       (not (and create-all-directories?
                                 (file-is-directory? (car files)))))
                  (symlink (car files) target))
                 ((every file-is-directory? files)
                  (mkdir target)
                  (union-of-directories target files))
                 (else
                  (symlink (resolve-collision files) target)))))
       names)))

  (mkdir output)
  (union-of-directories output (delete-duplicates inputs))
  #t)
