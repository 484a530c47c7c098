;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix build profiles): the build side of profiles, as GNU Guix's module
;;; of the same name builds them -- the union of the manifest's store items,
;;; the 'manifest' file and 'etc/profile'.  Its text is not Guix's (so
;;; neither is the store path of a "module-import" directory holding it).

(define-module (guix build profiles)
  #:use-module (guix build union)
  #:use-module (guix search-paths)
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 pretty-print)
  #:export (ensure-writable-directory
            build-etc/profile
            build-profile))

(define (manifest-search-paths manifest)
  "The search path s-expressions of the entries of MANIFEST (an sexp) and of
their propagated inputs."
  (define (entry-search-paths entry)
    ;; (NAME VERSION OUTPUT ITEM (propagated-inputs DEPS) (search-paths PATHS) ...)
    (let ((fields (if (>= (length entry) 4) (list-tail entry 4) '())))
      (append (let ((s (assq 'search-paths fields))) (if s (cadr s) '()))
              (let ((p (assq 'propagated-inputs fields)))
                (if p (append-map entry-search-paths (cadr p)) '())))))
  (let ((packages (assq 'packages (cdr manifest))))
    (if packages
        (append-map entry-search-paths (cadr packages))
        '())))

(define (ensure-writable-directory directory)
  "Make sure DIRECTORY is a real directory: if it is a symbolic link (to a
read-only directory in the store), replace it by a directory of symbolic
links to that directory's entries."
  (let ((s (false-if-exception (lstat directory))))
    (cond ((not s) (mkdir directory))
          ((eq? 'symlink (stat:type s))
           (let* ((link (readlink directory))
                  (target (if (string-prefix? "/" link)
                              link
                              (string-append (dirname directory) "/" link)))
                  (files (filter (lambda (f) (not (member f '("." ".."))))
                                 (or (scandir (string-append target "/")) '()))))
             (delete-file directory)
             (mkdir directory)
             (for-each (lambda (file)
                         (symlink (string-append target "/" file)
                                  (string-append directory "/" file)))
                       files)))
          ((eq? 'directory (stat:type s)) #t)
          (else (error "failed to create 'etc' sub-directory" directory)))))

(define (build-etc/profile output search-paths)
  "Write OUTPUT/etc/profile, defining the variables of SEARCH-PATHS."
  (let ((file (string-append output "/etc/profile")))
    (when (false-if-exception (lstat file))
      (delete-file file)))
  (call-with-output-file (string-append output "/etc/profile")
    (lambda (port)
      (display "\
# Source this file to define all the relevant environment variables in Bash
# for this profile.  You may want to define the 'GUIX_PROFILE' environment
# variable to point to the \"visible\" name of the profile, like this:
#
#  GUIX_PROFILE=/path/to/profile ; \\
#  source /path/to/profile/etc/profile
#
# When GUIX_PROFILE is undefined, the various environment variables refer
# to this specific profile generation.
\n" port)
      (for-each
       (lambda (spec+value)
         (let* ((spec (car spec+value))
                (variable (search-path-specification-variable spec))
                (separator (search-path-specification-separator spec))
                (prefix (string-append "${GUIX_PROFILE:-" output "}"))
                (value (string-join
                        (map (lambda (part)
                               (if (string-prefix? output part)
                                   (string-append prefix
                                                  (substring part (string-length output)))
                                   part))
                             (if separator
                                 (string-split (cdr spec+value)
                                               (string-ref separator 0))
                                 (list (cdr spec+value))))
                        (or separator ""))))
           (if separator
               (format port "export ~a=\"~a${~a:+~a}$~a\"~%"
                       variable value variable separator variable)
               (format port "export ~a=\"~a\"~%" variable value))))
       (evaluate-search-paths search-paths (list output))))))

(define* (build-profile output manifest
                        #:key (extra-inputs '()) (symlink symlink))
  "Build a user profile from MANIFEST, an sexp, and EXTRA-INPUTS, a list of
store items.  Use SYMLINK to create symlinks."
  (define search-paths
    (cons $PATH
          (map sexp->search-path-specification
               (delete-duplicates (manifest-search-paths manifest)))))

  (union-build output extra-inputs #:symlink symlink)

  ;; If one of the input packages provides a 'manifest' file, remove it.
  (let ((file (string-append output "/manifest")))
    (when (false-if-exception (lstat file))
      (delete-file file)))

  (call-with-output-file (string-append output "/manifest")
    (lambda (port)
      (pretty-print manifest port)))

  (ensure-writable-directory (string-append output "/etc"))
  (build-etc/profile output search-paths))
