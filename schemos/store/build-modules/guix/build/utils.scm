;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix build utils): the build-side helpers builders import, as far as
;;; schemos ships them.  GNU Guix's module of the same name has many more
;;; (substitute*, wrap-program, patch-shebang…); schemos' holds those the
;;; builders of configuration files use -- file-union, mixed-text-file,
;;; the system's etc and its activation snippets -- so that such builders
;;; can run under schemos itself.  Its text is not Guix's, so the store path
;;; of the "module-import" directory differs from Guix's.

(define-module (guix build utils)
  #:export (%store-directory
            store-file-name?
            strip-store-file-name
            mkdir-p
            directory-exists?
            executable-file?
            symbolic-link?
            copy-recursively
            delete-file-recursively
            with-directory-excursion
            invoke
            which
            install-file
            make-file-writable))

(define (%store-directory)
  "The store directory builders see."
  (or (getenv "NIX_STORE") "/gnu/store"))

(define (store-file-name? file)
  "True if FILE is in the store."
  (string-prefix? (string-append (%store-directory) "/") file))

(define (strip-store-file-name file)
  "FILE without its store directory and hash: \"foo-1.0\" of /gnu/store/…-foo-1.0."
  (let ((base (substring file (+ 1 (string-length (%store-directory))))))
    (substring base 33)))

(define (directory-exists? dir)
  "True if DIR names a directory."
  (let ((s (stat dir #f)))
    (and s (eq? 'directory (stat:type s)))))

(define (executable-file? file)
  "True if FILE is executable."
  (let ((s (stat file #f)))
    (and s (not (zero? (logand (stat:mode s) #o100))))))

(define (symbolic-link? file)
  "True if FILE is a symbolic link."
  (eq? (stat:type (lstat file)) 'symlink))

(define* (mkdir-p dir #:optional (mode #o755))
  "Create DIR and its missing parents."
  (let loop ((components (string-split dir #\/))
             (root (if (string-prefix? "/" dir) "" ".")))
    (unless (null? components)
      (let ((path (if (string=? (car components) "")
                      root
                      (string-append root "/" (car components)))))
        (when (and (not (string=? path "")) (not (file-exists? path)))
          (mkdir path mode))
        (loop (cdr components) path)))))

(define (make-file-writable file)
  "Make FILE writable by its owner."
  (let ((s (lstat file)))
    (unless (eq? 'symlink (stat:type s))
      (chmod file (logior #o600 (stat:perms s))))))

(define* (copy-recursively source destination #:key (follow-symlinks? #f))
  "Copy SOURCE to DESTINATION, recursively."
  (let ((s (if follow-symlinks? (stat source) (lstat source))))
    (case (stat:type s)
      ((directory)
       (mkdir-p destination)
       (for-each (lambda (entry)
                   (unless (member entry '("." ".."))
                     (copy-recursively (string-append source "/" entry)
                                       (string-append destination "/" entry)
                                       #:follow-symlinks? follow-symlinks?)))
                 (scandir source)))
      ((symlink)
       (symlink (readlink source) destination))
      (else
       (copy-file source destination)))))

(define (delete-file-recursively dir)
  "Delete DIR and everything under it, without following symlinks."
  (let ((s (lstat dir)))
    (if (eq? 'directory (stat:type s))
        (begin
          (for-each (lambda (entry)
                      (unless (member entry '("." ".."))
                        (delete-file-recursively (string-append dir "/" entry))))
                    (scandir dir))
          (rmdir dir))
        (delete-file dir))))

(define-syntax-rule (with-directory-excursion dir body ...)
  (let ((init (getcwd)))
    (dynamic-wind
      (lambda () (chdir dir))
      (lambda () body ...)
      (lambda () (chdir init)))))

(define (invoke program . args)
  "Run PROGRAM with ARGS; raise an error if it fails."
  (let ((status (apply system* program args)))
    (unless (zero? status)
      (error "program exited with non-zero code" program status))
    #t))

(define (which program)
  "The absolute file name of PROGRAM found in $PATH, or #f."
  (let loop ((dirs (string-split (or (getenv "PATH") "") #\:)))
    (cond ((null? dirs) #f)
          ((file-exists? (string-append (car dirs) "/" program))
           (string-append (car dirs) "/" program))
          (else (loop (cdr dirs))))))

(define* (install-file file directory)
  "Copy FILE into DIRECTORY, creating it if needed."
  (mkdir-p directory)
  (copy-file file (string-append directory "/" (basename file))))
