;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages): the package collection as a whole.  'fold-packages'
;;; visits every public package of the (gnu packages ...) modules, and
;;; 'specification->package' finds one by "name", "name@version" or
;;; "name@version-prefix", preferring the newest version, as Guix does.
;;; 'search-patches' names patch files (patches are data of origins; their
;;; content is needed only when lowering).

(define-module (gnu packages)
  #:use-module (guix packages)
  #:use-module (schemos gexp-support)
  #:use-module (srfi srfi-1)
  #:export (%package-module-names
            all-package-modules
            fold-packages
            find-packages-by-name
            find-best-packages-by-name
            specification->package
            specification->package+output
            package-name->name+version
            search-patch
            search-patches
            %patch-path))

(define %package-module-names
  ;; The modules of the collection; Guix finds them by scanning its module
  ;; directories, schemos lists them.
  '((gnu packages admin) (gnu packages base) (gnu packages bash)
    (gnu packages bootloaders) (gnu packages bootstrap) (gnu packages certs)
    (gnu packages commencement) (gnu packages compression)
    (gnu packages cross-base)
    (gnu packages disk) (gnu packages file) (gnu packages file-systems)
    (gnu packages firmware) (gnu packages fonts) (gnu packages gawk)
    (gnu packages gcc) (gnu packages gdb) (gnu packages gettext)
    (gnu packages gnupg) (gnu packages graphviz) (gnu packages guile)
    (gnu packages guile-xyz) (gnu packages hurd) (gnu packages less)
    (gnu packages linux) (gnu packages m4) (gnu packages make-bootstrap)
    (gnu packages man)
    (gnu packages nano) (gnu packages ncurses) (gnu packages nvi)
    (gnu packages package-management) (gnu packages pciutils)
    (gnu packages readline) (gnu packages ssh) (gnu packages texinfo)
    (gnu packages text-editors) (gnu packages version-control)
    (gnu packages virtualization) (gnu packages wget)))

(define (existing-module name)
  ;; A module of the collection, or #f if this schemos does not have it.
  (catch #t
    (lambda () (resolve-interface name))
    (lambda args #f)))

(define (all-package-modules)
  "Return the modules of the package collection."
  (filter-map existing-module %package-module-names))

(define (module-packages module)
  ;; The public packages of MODULE, in the order of their names.
  (filter-map (lambda (name)
                (let ((value (module-ref module name #f)))
                  (and (package? value) value)))
              (%module-public-names module)))

(define* (fold-packages proc init
                        #:optional (modules (all-package-modules))
                        #:key (select? (negate hidden-package?)))
  "Call (PROC PACKAGE RESULT) for each available package for which SELECT?
is true, using INIT as the initial value of RESULT.  Each package is visited
once, even if several variables name it."
  (let ((seen (make-hash-table)))
    (fold (lambda (module result)
            (fold (lambda (package result)
                    (if (or (hashq-ref seen package) (not (select? package)))
                        result
                        (begin
                          (hashq-set! seen package #t)
                          (proc package result))))
                  result
                  (module-packages module)))
          init
          modules)))

(define (package-name->name+version spec)
  "Split SPEC, such as \"guile@3.0\", into its name and version (or #f)."
  (let ((at (string-rindex spec #\@)))
    (if (and at (> at 0))
        (values (substring spec 0 at) (substring spec (+ at 1)))
        (values spec #f))))

(define (version-prefix? prefix version)
  ;; True when the dot-separated components of PREFIX start VERSION.
  (let loop ((p (string-split prefix #\.)) (v (string-split version #\.)))
    (cond ((null? p) #t)
          ((null? v) #f)
          ((string=? (car p) (car v)) (loop (cdr p) (cdr v)))
          (else #f))))

(define (version-components version)
  (map (lambda (part) (or (string->number part) part))
       (string-split version #\.)))

(define (version>? a b)
  ;; Compare versions component by component, numbers numerically.
  (let loop ((a (version-components a)) (b (version-components b)))
    (cond ((null? a) #f)
          ((null? b) #t)
          ((equal? (car a) (car b)) (loop (cdr a) (cdr b)))
          ((and (number? (car a)) (number? (car b))) (> (car a) (car b)))
          ((number? (car a)) #t)
          ((number? (car b)) #f)
          (else (string>? (car a) (car b))))))

(define* (find-packages-by-name name #:optional version)
  "Return the packages called NAME whose version starts with VERSION, if
given, newest first."
  (sort (fold-packages (lambda (package result)
                         (if (and (string=? (package-name package) name)
                                  (or (not version)
                                      (version-prefix? version
                                                       (package-version package))))
                             (cons package result)
                             result))
                       '())
        (lambda (p1 p2)
          (version>? (package-version p1) (package-version p2)))))

(define* (find-best-packages-by-name name #:optional version)
  "Like 'find-packages-by-name', keeping only the newest version."
  (let ((matches (find-packages-by-name name version)))
    (if (null? matches)
        '()
        (filter (lambda (p)
                  (string=? (package-version p)
                            (package-version (car matches))))
                matches))))

(define (specification->package spec)
  "Return the package designated by SPEC, \"NAME\" or \"NAME@VERSION\"; the
newest matching version is chosen.  Raise an error if there is none."
  (call-with-values (lambda () (package-name->name+version spec))
    (lambda (name version)
      (let ((matches (find-best-packages-by-name name version)))
        (cond ((pair? matches) (car matches))
              (version
               (error (format #f "~a: package not found for version ~a"
                              name version)))
              (else
               (error (format #f "~a: unknown package" name))))))))

(define* (specification->package+output spec #:optional (output "out"))
  "Return the package and output designated by SPEC, \"NAME[@VERSION][:OUTPUT]\"."
  (let* ((colon (string-rindex spec #\:))
         (package-spec (if colon (substring spec 0 colon) spec))
         (out (if colon (substring spec (+ colon 1)) output)))
    (values (specification->package package-spec) out)))

(define %patch-path
  ;; Where Guix keeps its patches, relative to its source tree.
  (make-parameter '("gnu/packages/patches")))

(define (search-patch file-name)
  "Return the name of patch FILE-NAME in the patch directory.  Patch files
are not shipped with schemos; the name is what origins record."
  (string-append (car (%patch-path)) "/" file-name))

(define (search-patches . file-names)
  "Return the list of patches named FILE-NAMES."
  (map search-patch file-names))
