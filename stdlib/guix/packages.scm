;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix packages): the <package> and <origin> records, input lists and
;;; package graph rewriting, as in GNU Guix 1.5.
;;;
;;; Records have the fields and defaults Guix's have; 'inputs',
;;; 'native-inputs' and 'propagated-inputs' are thunked and sanitized, so
;;; "new style" inputs, (list foo bar), become labelled input lists,
;;; (("foo" ,foo) ("bar" ,bar)), the labels being package names, exactly
;;; what Guix's accessors return.  A package remembers where its (package
;;; ...) form is written and prints as Guix prints it:
;;;   #<package openssh@10.0p1 gnu/packages/ssh.scm:219 7f3c…>
;;;
;;; Packages and origins lower to derivations as in Guix: an origin through
;;; its method (url-fetch: a fixed-output 'builtin:download' derivation) and,
;;; with patches or a snippet, 'patch-and-repack'; a package through its
;;; build system's bag, whose build procedure makes the derivation.  Grafts
;;; are not applied.  The bootstrap stage (the packages the GNU build system
;;; adds implicitly are built from the bootstrap seeds of (gnu packages
;;; bootstrap)) is explained in docs/store.md.

(define-module (guix packages)
  #:use-module (guix records)
  #:use-module (guix gexp)
  #:use-module (guix base32)
  #:use-module (guix build-system)
  #:use-module (schemos gexp-support)
  #:use-module ((schemos store) #:select (%bootstrap-stage? %store-memo %lower-object
                                           %set-lowering-hook!))
  #:use-module (guix store)
  #:use-module (guix monads)
  #:use-module (guix derivations)
  #:use-module (guix utils)
  #:use-module (srfi srfi-1)
  #:export (content-hash
            content-hash?
            content-hash-algorithm
            content-hash-value

            origin
            origin?
            this-origin
            origin-uri
            origin-method
            origin-hash
            origin-file-name
            origin-actual-file-name
            origin-patches
            origin-patch-flags
            origin-patch-inputs
            origin-patch-guile
            origin-snippet
            origin-modules
            base32

            package
            package?
            this-package
            package-name
            package-upstream-name
            package-version
            package-full-name
            package-source
            package-build-system
            package-arguments
            package-inputs
            package-native-inputs
            package-propagated-inputs
            package-outputs
            package-native-search-paths
            package-search-paths
            package-replacement
            package-synopsis
            package-description
            package-license
            package-home-page
            package-supported-systems
            package-properties
            package-location
            package-definition-location
            hidden-package
            hidden-package?
            package-superseded
            deprecated-package

            this-package-input
            this-package-native-input

            lookup-package-input
            lookup-package-native-input
            lookup-package-propagated-input
            lookup-package-direct-input

            prepend
            replace
            modify-inputs

            package-direct-sources
            package-direct-inputs
            package-transitive-inputs
            package-transitive-target-inputs
            package-transitive-native-inputs
            package-transitive-propagated-inputs
            package-transitive-native-search-paths
            package-mapping
            package-input-rewriting
            package-input-rewriting/spec
            package-with-patches
            package-with-extra-patches
            package/inherit

            transitive-input-references

            %32bit-supported-systems
            %64bit-supported-systems
            %supported-systems
            %hurd-systems
            %cuirass-supported-systems

            ;; lowering
            origin->derivation
            patch-and-repack
            computed-origin-method
            package->bag
            bag->derivation
            package-derivation
            package-cross-derivation
            package->derivation
            package->cross-derivation
            package-output
            package-file
            default-guile
            default-guile-derivation
            bag-transitive-inputs
            bag-transitive-build-inputs
            bag-transitive-host-inputs
            bag-transitive-target-inputs
            %standard-patch-inputs
            %bootstrap-stage?
            in-bootstrap-stage

            ;; schemos: what Guix keeps internal but the system graph,
            ;; the tests and lowering use.
            package-location-vector
            add-input-label))


;;;
;;; Content hashes.
;;;

(define-record-type <content-hash>
  (%content-hash algorithm value)
  content-hash?
  (algorithm content-hash-algorithm)              ;symbol
  (value     content-hash-value))                 ;bytevector

(define (base32 str)
  "Return the bytevector whose Nix base32 representation is STR."
  (nix-base32-string->bytevector str))

;; Hash sizes in bytes, by algorithm; Guix rejects a hash of the wrong size.
(define %content-hash-sizes
  '((sha256 . 32) (sha512 . 64) (sha3-256 . 32) (sha3-512 . 64)
    (blake2s-256 . 64)))

(define (build-content-hash value algorithm)
  (let ((bv (if (string? value)
                (nix-base32-string->bytevector value)
                value))
        (size (assq-ref %content-hash-sizes algorithm)))
    (unless size
      (error "content-hash: unsupported hash algorithm" algorithm))
    (when (and (bytevector? bv) (not (= size (bytevector-length bv))))
      (error "content-hash: invalid content hash length" value algorithm))
    (%content-hash algorithm bv)))

;; (content-hash VALUE [ALGORITHM]): VALUE is a bytevector, or a string read
;; as Nix base32; ALGORITHM is a bare name such as sha256 (the default).
(define-syntax content-hash
  (syntax-rules ()
    ((_ value)
     (build-content-hash value 'sha256))
    ((_ value algorithm)
     (build-content-hash value 'algorithm))))

(define (print-content-hash hash port)
  (format port "#<content-hash ~a:~a>"
          (content-hash-algorithm hash)
          (let ((bv (content-hash-value hash)))
            (and bv (bytevector->nix-base32-string bv)))))

(set-record-type-printer! <content-hash> print-content-hash)


;;;
;;; Origins.
;;;

(define %default-patch-flags
  #~("-p1"))

;; The source of a package: a URI, a fetch method and a content hash.
(define-record-type* <origin>
  %origin make-origin
  origin?
  this-origin
  (uri          origin-uri)                       ;string, list, git-reference...
  (method       origin-method)                    ;procedure
  (hash         origin-hash)                      ;<content-hash>
  (file-name    origin-file-name (default #f))    ;string or #f
  ;; Delayed so that patch files are searched for only when needed.
  (patches      origin-patches (default '()) (delayed))
  (snippet      origin-snippet (default #f))      ;gexp, sexp or #f
  (patch-flags  origin-patch-flags (default %default-patch-flags))
  (patch-inputs origin-patch-inputs (default #f)) ;input list or #f
  (modules      origin-modules (default '()))     ;module names
  (patch-guile  origin-patch-guile (default #f))) ;package or #f

;; (origin ... (sha256 EXP) ...) is the usual spelling of
;; (hash (content-hash EXP sha256)).
(define-syntax origin-compatibility-helper
  (syntax-rules (sha256)
    ((_ () (fields ...))
     (%origin fields ...))
    ((_ ((sha256 exp) rest ...) (others ...))
     (%origin others ...
              (hash (content-hash exp sha256))
              rest ...))
    ((_ (field rest ...) (others ...))
     (origin-compatibility-helper (rest ...) (others ... field)))))

(define-syntax-rule (origin fields ...)
  (origin-compatibility-helper (fields ...) ()))

(define (print-origin origin port)
  (format port "#<origin ~s ~a ~s ~a>"
          (origin-uri origin)
          (origin-hash origin)
          (origin-patches origin)
          (number->string (object-address origin) 16)))

(set-record-type-printer! <origin> print-origin)

(define (uri-base-name uri)
  ;; The last component of URI's path, or URI itself if it has no path; as
  ;; (basename (uri-path (string->uri URI))) in Guix.
  (let* ((scheme-end (string-contains uri "://"))
         (rest (if scheme-end (substring uri (+ scheme-end 3)) uri))
         (slash (and scheme-end (string-index rest #\/)))
         (path (cond ((not scheme-end) #f)
                     (slash (substring rest slash))
                     (else ""))))
    (cond ((not path) uri)
          ((string-null? path) uri)
          (else (basename (let ((q (string-index path #\?)))
                            (if q (substring path 0 q) path)))))))

(define (origin-actual-file-name origin)
  "Return the file name of ORIGIN, either its 'file-name' field or the file
name of its URI."
  (or (origin-file-name origin)
      (let ((uri (origin-uri origin)))
        (cond ((and (pair? uri) (string? (car uri))) (uri-base-name (car uri)))
              ((string? uri) (uri-base-name uri))
              (else #f)))))                       ;git, svn... reference

;; An origin lowers for SYSTEM only: its content does not depend on the
;; cross-compilation target.
(define-gexp-compiler origin-compiler <origin>
  compiler => (lambda (origin system target)
                (origin->derivation origin system))
  expander => (lambda (origin lowered output)
                (if (derivation? lowered)
                    (derivation->output-path lowered output)
                    lowered)))


;;;
;;; Supported systems.
;;;

(define %32bit-supported-systems
  '("i686-linux" "armhf-linux" "i586-gnu" "powerpc-linux"))

(define %64bit-supported-systems
  '("x86_64-linux" "mips64el-linux" "aarch64-linux" "powerpc64le-linux"
    "riscv64-linux" "x86_64-gnu"))

(define %supported-systems
  (append %64bit-supported-systems %32bit-supported-systems))

(define %hurd-systems
  '("i586-gnu" "x86_64-gnu"))

(define %cuirass-supported-systems
  ;; Systems the build farm has machines for.
  (fold delete %supported-systems '("mips64el-linux" "powerpc-linux"
                                    "riscv64-linux" "x86_64-gnu")))


;;;
;;; Input lists.
;;;

(define (add-input-label input)
  "Return INPUT as a labelled input: (LABEL THING [OUTPUT])."
  (cond ((package? input)
         (list (package-name input) input))
        ((and (pair? input) (package? (car input))
              (pair? (cdr input)) (null? (cddr input)))
         (list (package-name (car input)) (car input) (cadr input)))
        ((gexp-input? input)
         (let ((obj (gexp-input-thing input))
               (output (gexp-input-output input)))
           `(,(if (package? obj) (package-name obj) "_")
             ,obj
             ,@(if (string=? output "out") '() (list output)))))
        ((origin? input)
         (list (or (origin-actual-file-name input) "_") input))
        (else
         `("_" ,input))))

(define (maybe-add-input-labels inputs)
  "Add labels to INPUTS unless it already has them."
  (cond ((null? inputs) inputs)
        ((and (pair? (car inputs)) (string? (caar inputs))) inputs)
        (else (map add-input-label inputs))))

(define (sanitize-inputs inputs)
  (maybe-add-input-labels inputs))


;;;
;;; Packages.
;;;

(define (validate-texinfo str)
  ;; Guix checks Texinfo markup only when run uninstalled; schemos never does.
  str)

(define (license-value? obj)
  (let ((license? (license-predicate)))
    (or (not obj)
        (license? obj)
        (and (pair? obj) (every license? obj)))))

(define (license-predicate)
  ;; (guix licenses) is loaded lazily, as Guix autoloads it.
  (module-ref (resolve-interface '(guix licenses)) 'license?))

(define (validate-license value)
  (unless (license-value? value)
    (error (format #f "~s: invalid package license" value)))
  value)

(define (sanitize-location loc)
  ;; A location is kept as #(FILE LINE COLUMN); a <location> record, as
  ;; returned by 'package-location', is converted.
  (cond ((vector? loc) loc)
        ((not loc) loc)
        (else (location->vector loc))))

(define-record-type* <package>
  %package make-package
  package?
  this-package
  (name   package-name)                           ;string
  (version package-version)                       ;string
  (source package-source)                         ;<origin> or #f
  (build-system package-build-system)             ;<build-system>
  (arguments package-arguments                    ;build system arguments
             (default '()) (thunked))

  (inputs package-inputs                          ;input packages
          (default '()) (thunked)
          (sanitize sanitize-inputs))
  (propagated-inputs package-propagated-inputs    ;same, but propagated
                     (default '()) (thunked)
                     (sanitize sanitize-inputs))
  (native-inputs package-native-inputs            ;inputs for the build machine
                 (default '()) (thunked)
                 (sanitize sanitize-inputs))

  (outputs package-outputs                        ;list of strings
           (default '("out")))

  (native-search-paths package-native-search-paths (default '()))
  (search-paths package-search-paths (default '()))

  ;; Innate: a replacement is never inherited (see 'package/inherit').
  (replacement package-replacement                ;package or #f
               (default #f) (thunked) (innate))

  (synopsis package-synopsis
            (sanitize validate-texinfo))          ;one-line description
  (description package-description
               (sanitize validate-texinfo))       ;one or two paragraphs
  (license package-license                        ;(list of) <license>
           (sanitize validate-license))
  (home-page package-home-page)                   ;string or #f
  (supported-systems package-supported-systems    ;list of strings
                     (default %supported-systems))

  (properties package-properties (default '()))   ;alist for anything else

  ;; Where the (package ...) form is written: #(FILE LINE COLUMN), filled
  ;; in by the 'package' macro below.
  (location package-location-vector
            (default #f)
            (innate) (sanitize sanitize-location))
  (definition-location package-definition-location-code
                       (default #f)
                       (innate)))

;; (package field ...): the record constructor, recording the location of
;; the form in the 'location' field as Guix's (current-location-vector) does.
(define-syntax package
  (%located-record-syntax %package location))

(define (print-package package port)
  (let ((loc (package-location-vector package)))
    (format port "#<package ~a@~a ~a~a>"
            (package-name package)
            (package-version package)
            (if loc
                (format #f "~a:~a " (vector-ref loc 0) (vector-ref loc 1))
                "")
            (number->string (object-address package) 16))))

(set-record-type-printer! <package> print-package)

;; A package lowers to the derivation its build system makes from its bag.
(define-gexp-compiler package-compiler <package>
  compiler => (lambda (package system target)
                (lambda (store)
                  (bag->derivation* store (package->bag package system target)
                                    package)))
  expander => default-expander)

(define (diagnostics-ref name)
  ;; The <location> record of (guix diagnostics), when that module exists.
  (catch #t
    (lambda ()
      (module-ref (resolve-interface '(guix diagnostics)) name))
    (lambda args #f)))

(define (location->vector loc)
  (let ((file (diagnostics-ref 'location-file))
        (line (diagnostics-ref 'location-line))
        (column (diagnostics-ref 'location-column)))
    (if (and file line column)
        (vector (file loc) (line loc) (column loc))
        (error "not a source location" loc))))

(define (package-location package)
  "Return the source code location of PACKAGE as a <location> record of
(guix diagnostics), or #f if it is not known.  Without (guix diagnostics),
return the location vector #(FILE LINE COLUMN)."
  (let ((vec (package-location-vector package))
        (make (diagnostics-ref 'location)))
    (cond ((not vec) #f)
          (make (make (vector-ref vec 0) (vector-ref vec 1) (vector-ref vec 2)))
          (else vec))))

(define (package-definition-location package)
  "Like 'package-location', for the enclosing 'define-public'; schemos does
not record it and returns #f."
  #f)

;; (package/inherit P OVERRIDES ...): like (package (inherit P) OVERRIDES
;; ...), applying the same OVERRIDES to P's replacement, if any.  (Written
;; with letrec rather than a named let to sidestep a schemos compiler bug
;; with named lets whose body makes a closure, in an 'if' branch.)
(define-syntax-rule (package/inherit p overrides ...)
  (letrec ((loop (lambda (p)
                   (package (inherit p)
                     overrides ...
                     (replacement (and=> (package-replacement p) loop))))))
    (loop p)))

(define (package-upstream-name package)
  "Return the upstream name of PACKAGE."
  (or (assq-ref (package-properties package) 'upstream-name)
      (package-name package)))

(define (hidden-package p)
  "Return a \"hidden\" version of P, one that user interfaces ignore."
  (package
    (inherit p)
    (location (package-location-vector p))
    (properties `((hidden? . #t)
                  ,@(package-properties p)))))

(define (hidden-package? p)
  "Return true if P is hidden."
  (assoc-ref (package-properties p) 'hidden?))

(define (package-superseded p)
  "Return the package that supersedes P, or #f if P is still current."
  (assoc-ref (package-properties p) 'superseded))

(define (deprecated-package old-name p)
  "Return a package called OLD-NAME and marked as superseded by P."
  (package
    (inherit p)
    (name old-name)
    (properties `((superseded . ,p)))))

(define* (package-full-name package #:optional (delimiter "@"))
  "Return the full name of PACKAGE, NAME@VERSION."
  (string-append (package-name package) delimiter (package-version package)))

(define (%this-package-input package name)
  (or (lookup-package-input package name)
      (lookup-package-propagated-input package name)))

(define (%this-package-native-input package name)
  (lookup-package-native-input package name))

;; (this-package-input NAME): input NAME of the package being defined, from
;; its 'inputs' or 'propagated-inputs', or #f.  Valid in thunked fields.
(define-syntax this-package-input
  (%this-record-call this-package %this-package-input))

;; (this-package-native-input NAME): the same among 'native-inputs'.
(define-syntax this-package-native-input
  (%this-record-call this-package %this-package-native-input))


;;;
;;; Looking up and modifying inputs.
;;;

(define (lookup-input inputs name)
  ;; The package labelled NAME among INPUTS, a labelled input list.
  (let ((entry (assoc name inputs)))
    (and entry (pair? (cdr entry)) (cadr entry))))

(define (lookup-package-input package name)
  "Look up NAME among PACKAGE's inputs; return it or #f."
  (lookup-input (package-inputs package) name))

(define (lookup-package-native-input package name)
  "Look up NAME among PACKAGE's native inputs; return it or #f."
  (lookup-input (package-native-inputs package) name))

(define (lookup-package-propagated-input package name)
  "Look up NAME among PACKAGE's propagated inputs; return it or #f."
  (lookup-input (package-propagated-inputs package) name))

(define (lookup-package-direct-input package name)
  "Look up NAME among PACKAGE's direct inputs; return it or #f."
  (lookup-input (package-direct-inputs package) name))

(define (replace-input name replacement inputs)
  "Replace input NAME by REPLACEMENT within INPUTS."
  (map (lambda (input)
         (if (and (pair? input) (string? (car input))
                  (string=? (car input) name))
             (if (and (pair? replacement) (pair? (cdr replacement))
                      (null? (cddr replacement)))
                 (cons (car input) replacement)  ;REPLACEMENT names an output
                 (cons* (car input) replacement (cddr input)))
             input))
       inputs))

(define-syntax prepend
  (syntax-rules ()
    ((_ . rest)
     (error "'prepend' may only be used within 'modify-inputs'"))))

(define-syntax replace
  (syntax-rules ()
    ((_ . rest)
     (error "'replace' may only be used within 'modify-inputs'"))))

;; (modify-inputs INPUTS CLAUSE ...) with clauses (delete NAME ...),
;; (prepend PACKAGE ...), (append PACKAGE ...) and (replace NAME PACKAGE):
;; INPUTS is a labelled input list, and so is the result.
(define-syntax modify-inputs
  (syntax-rules (delete prepend append replace)
    ((_ inputs (delete name) clauses ...)
     (modify-inputs (alist-delete name inputs)
                    clauses ...))
    ((_ inputs (delete names ...) clauses ...)
     (modify-inputs (fold alist-delete inputs (list names ...))
                    clauses ...))
    ((_ inputs (prepend lst ...) clauses ...)
     (modify-inputs (append (map add-input-label (list lst ...)) inputs)
                    clauses ...))
    ((_ inputs (append lst ...) clauses ...)
     (modify-inputs (append inputs (map add-input-label (list lst ...)))
                    clauses ...))
    ((_ inputs (replace name replacement) clauses ...)
     (modify-inputs (replace-input name replacement inputs)
                    clauses ...))
    ((_ inputs)
     inputs)))


;;;
;;; The package graph.
;;;

(define (package-direct-sources package)
  "Return the source origins of PACKAGE: its source, its patches that are
origins, and origins among its direct inputs."
  (append (let ((source (package-source package)))
            (if (origin? source)
                (cons source (filter origin? (origin-patches source)))
                '()))
          (filter-map (lambda (input)
                        (and (pair? (cdr input)) (origin? (cadr input))
                             (cadr input)))
                      (package-direct-inputs package))))

(define (package-direct-inputs package)
  "Return the direct inputs of PACKAGE: native, regular and propagated."
  (append (package-native-inputs package)
          (package-inputs package)
          (package-propagated-inputs package)))

(define (transitive-inputs inputs)
  "Return the closure of INPUTS over propagated inputs, breadth-first,
keeping INPUTS as they are and dropping duplicate propagated inputs."
  (define seen (make-hash-table))

  (define (seen? item outputs)
    (let ((o (hashq-ref seen item)))
      (and o (equal? (cdr o) outputs))))

  (let loop ((inputs inputs) (result '()) (propagated '()) (first? #t))
    (cond ((null? inputs)
           (if (null? propagated)
               (reverse result)
               (loop (reverse (concatenate propagated)) result '() #f)))
          ((and (pair? (car inputs)) (pair? (cdar inputs))
                (package? (cadar inputs)))
           (let* ((input (car inputs))
                  (package (cadr input))
                  (outputs (cddr input)))
             (if (and (not first?) (seen? package outputs))
                 (loop (cdr inputs) result propagated first?)
                 (begin
                   (hashq-set! seen package (cons package outputs))
                   (loop (cdr inputs)
                         (cons input result)
                         (cons (package-propagated-inputs package) propagated)
                         first?)))))
          (else
           (loop (cdr inputs) (cons (car inputs) result) propagated first?)))))

(define (package-transitive-inputs package)
  "Return the direct inputs of PACKAGE with their propagated inputs,
recursively."
  (transitive-inputs (package-direct-inputs package)))

(define (package-transitive-target-inputs package)
  "Like 'package-transitive-inputs', without native inputs."
  (transitive-inputs (append (package-inputs package)
                             (package-propagated-inputs package))))

(define (package-transitive-native-inputs package)
  "Like 'package-transitive-inputs', for native inputs only."
  (transitive-inputs (package-native-inputs package)))

(define (package-transitive-propagated-inputs package)
  "Return the propagated inputs of PACKAGE and theirs, recursively."
  (transitive-inputs (package-propagated-inputs package)))

(define (package-transitive-native-search-paths package)
  "Return the native search paths of PACKAGE and of its propagated inputs,
recursively."
  (append (package-native-search-paths package)
          (append-map (lambda (input)
                        (if (and (pair? (cdr input)) (package? (cadr input)))
                            (package-native-search-paths (cadr input))
                            '()))
                      (package-transitive-propagated-inputs package))))

(define (transitive-input-references alist inputs)
  "Return (assoc-ref ALIST LABEL) forms for each input of INPUTS and their
propagated inputs."
  (map (lambda (input)
         `(assoc-ref ,alist ,(car input)))
       (transitive-inputs inputs)))

(define* (package-mapping proc #:optional (cut? (const #f))
                          #:key deep?)
  "Return a procedure that, given a package, applies PROC to all the
packages depended on and returns the resulting package.  Recursion stops at
packages for which CUT? is true.  (DEEP? also rewrites implicit inputs in
Guix; schemos has no implicit inputs before lowering.)"
  (define mapping-property
    ;; Marks packages that are already the result of this mapping.
    (gensym " package-mapping-done"))

  (define cache (make-hash-table))

  (define (rewrite input)
    (if (and (pair? input) (pair? (cdr input)) (package? (cadr input)))
        (cons* (car input) (replace (cadr input)) (cddr input))
        input))

  (define (replace p)
    (or (hashq-ref cache p)
        (let ((result (replace* p)))
          (hashq-set! cache p result)
          result)))

  (define (replace* p)
    (cond ((assq-ref (package-properties p) mapping-property)
           p)
          ((cut? p)
           (let ((p (proc p)))
             (if (or (not deep?)
                     (null? (package-propagated-inputs p)))
                 p
                 (package
                   (inherit p)
                   (location (package-location-vector p))
                   (replacement (package-replacement p))
                   (propagated-inputs (map rewrite (package-propagated-inputs p)))
                   (properties `((,mapping-property . #t)
                                 ,@(package-properties p)))))))
          (else
           (let ((p (proc p)))
             (package
               (inherit p)
               (location (package-location-vector p))
               (inputs (map rewrite (package-inputs p)))
               (native-inputs (map rewrite (package-native-inputs p)))
               (propagated-inputs (map rewrite (package-propagated-inputs p)))
               (replacement (and=> (package-replacement p) replace))
               (properties `((,mapping-property . #t)
                             ,@(package-properties p))))))))

  replace)

(define* (package-input-rewriting replacements
                                  #:optional (rewrite-name identity)
                                  #:key (deep? #t) (recursive? #f))
  "Return a procedure that, given a package, replaces its direct and
indirect dependencies according to REPLACEMENTS, a list of (OLD . NEW)
package pairs.  REWRITE-NAME renames every rewritten package."
  (define replacement-property
    (gensym " package-replacement"))

  (define (rewrite p)
    (if (assq-ref (package-properties p) replacement-property)
        p
        (let ((new (assq-ref replacements p)))
          (if new
              (if deep?
                  (package/inherit new
                    (properties `((,replacement-property . #t)
                                  ,@(package-properties new))))
                  new)
              (package/inherit p
                (name (rewrite-name (package-name p))))))))

  (define (cut? p)
    (or (assq-ref (package-properties p) replacement-property)
        (and (not recursive?)
             (assq-ref replacements p))))

  (package-mapping rewrite cut? #:deep? deep?))

(define (name+version spec)
  ;; "guile@3.0" -> ("guile" . "3.0"); "guile" -> ("guile" . #f)
  (let ((at (string-rindex spec #\@)))
    (if (and at (> at 0))
        (cons (substring spec 0 at) (substring spec (+ at 1)))
        (cons spec #f))))

(define (version-prefix?* prefix version)
  ;; True when VERSION starts with the dot-separated components of PREFIX.
  (let loop ((p (string-split prefix #\.)) (v (string-split version #\.)))
    (cond ((null? p) #t)
          ((null? v) #f)
          ((string=? (car p) (car v)) (loop (cdr p) (cdr v)))
          (else #f))))

(define* (package-input-rewriting/spec replacements
                                       #:key (deep? #t) (replace-hidden? #f))
  "Return a procedure that, given a package, applies REPLACEMENTS, a list of
(SPEC . PROC) pairs such as (\"guile@2\" . proc), to the whole package graph."
  (define table
    (map (lambda (replacement)
           (let ((nv (name+version (car replacement))))
             (list (car nv) (cdr nv) (cdr replacement))))
         replacements))

  (define (find-replacement package)
    (any (lambda (entry)
           (and (string=? (car entry) (package-name package))
                (or (not (cadr entry))
                    (version-prefix?* (cadr entry) (package-version package)))
                (caddr entry)))
         table))

  (define replacement-property
    (gensym " package-replacement"))

  (define (rewrite p)
    (if (or (assq-ref (package-properties p) replacement-property)
            (and (not replace-hidden?) (hidden-package? p)))
        p
        (let ((proc (find-replacement p)))
          (if proc
              (let ((new (proc p)))
                (package/inherit new
                  (properties `((,replacement-property . #t)
                                ,@(package-properties new)))))
              p))))

  (define (cut? p)
    (or (assq-ref (package-properties p) replacement-property)
        (find-replacement p)))

  (package-mapping rewrite cut? #:deep? deep?))

(define (package-with-patches original patches)
  "Return package ORIGINAL with PATCHES applied."
  (package (inherit original)
           (source (origin (inherit (package-source original))
                           (patches patches)))
           (location (package-location-vector original))))

(define (package-with-extra-patches original patches)
  "Return package ORIGINAL with all PATCHES appended to its list of patches."
  (package-with-patches original
                        (append (origin-patches (package-source original))
                                patches)))


;;;
;;; Lowering origins.
;;;

(define %bootstrap-wrappers
  ;; Package -> the object lowering it in the bootstrap stage, so that every
  ;; use refers to the same object (lowering caches by identity).
  (make-hash-table))

(define (in-bootstrap-stage package)
  "Return a file-like object that lowers PACKAGE in the bootstrap stage: built
from the bootstrap seeds, as the implicit inputs of the GNU build system are."
  (or (hashq-ref %bootstrap-wrappers package)
      (let ((wrapped (with-parameters ((%bootstrap-stage? #t))
                       package)))
        (hashq-set! %bootstrap-wrappers package wrapped)
        wrapped)))

(define (%standard-patch-inputs)
  ;; The tools 'patch-and-repack' needs: the final ones (built in the
  ;; bootstrap stage, lest patching a tool need that tool), or, in the
  ;; bootstrap stage, the bootstrap binaries (as Guix's 'bootstrap-origin').
  (if (%bootstrap-stage?)
      (let ((co (module-ref (resolve-interface '(gnu packages bootstrap))
                            '%bootstrap-coreutils&co)))
        `(("tar" ,co) ("xz" ,co) ("bzip2" ,co) ("gzip" ,co) ("patch" ,co)))
      (let ((ref (lambda (module var)
                   (in-bootstrap-stage
                    (module-ref (resolve-interface module) var)))))
        `(("tar"   ,(ref '(gnu packages base) 'tar))
          ("xz"    ,(ref '(gnu packages compression) 'xz))
          ("bzip2" ,(ref '(gnu packages compression) 'bzip2))
          ("gzip"  ,(ref '(gnu packages compression) 'gzip))
          ("lzip"  ,(ref '(gnu packages compression) 'lzip))
          ("patch" ,(ref '(gnu packages base) 'patch))))))

(define (lower-patch patch system)
  ;; A patch is an origin, a file-like object or a file name.  schemos does
  ;; not ship Guix's patch files: a missing one stands as a text item
  ;; saying so, which keeps the derivation graph's shape.
  (cond ((origin? patch) (origin->derivation patch system))
        ((file-like? patch) (lower-object patch system))
        ((and (string? patch) (file-exists? patch))
         (interned-file patch #:recursive? #t))
        ((string? patch)
         (text-file (basename patch)
                    (string-append "# " (basename patch)
                                   ": a patch of GNU Guix; schemos does not ship "
                                   "its text.\n")))
        (else (error "invalid patch" patch))))

(define* (patch-and-repack source patches
                           #:key
                           inputs
                           (snippet #f)
                           (flags #~("-p1"))
                           (modules '())
                           (guile-for-build (%guile-for-build))
                           (system (%current-system)))
  "Unpack SOURCE (a derivation or store file name), apply PATCHES and run
SNIPPET, then repack it: return the derivation of the patched source,
named as SOURCE."
  (define source-file-name
    (if (derivation? source)
        (derivation->output-path source)
        source))

  (define original-name
    (store-path-package-name source-file-name))

  (define (lookup name)
    (let ((input (assoc name (or inputs (%standard-patch-inputs)))))
      (and input (cadr input))))

  (mlet %store-monad ((patches (mapm %store-monad
                                     (lambda (p) (lower-patch p system))
                                     patches)))
    (define build
      (with-imported-modules '((guix build utils))
        #~(begin
            (use-modules (ice-9 ftw)
                         (srfi srfi-1)
                         (guix build utils))

            (define (apply-patch patch)
              (format (current-error-port) "applying '~a'...~%" patch)
              (invoke (string-append #+(lookup "patch") "/bin/patch")
                      "--force" "--no-backup-if-mismatch"
                      #+@flags "--input" patch))

            (setenv "PATH"
                    (string-join
                     (map (lambda (dir) (string-append dir "/bin"))
                          (list #+(lookup "tar") #+(lookup "xz")
                                #+(lookup "bzip2") #+(lookup "gzip")))
                     ":"))

            (mkdir "source")
            (with-directory-excursion "source"
              (invoke "tar" "xvf" #+source))
            (let ((directory (car (scandir "source"
                                           (lambda (f)
                                             (not (member f '("." ".."))))))))
              (with-directory-excursion (string-append "source/" directory)
                (for-each apply-patch '#+patches)
                #+(if snippet
                      #~(let ((module (make-fresh-user-module)))
                          (module-use-interfaces!
                           module
                           (map resolve-interface '#+modules))
                          ((@ (system base compile) compile)
                           '#+(if (pair? snippet)
                                  (sexp->gexp snippet)
                                  snippet)
                           #:to 'value
                           #:opts %auto-compilation-options
                           #:env module))
                      #~#t))
              (invoke "tar" "cvfa" #$output
                      "--mtime=@1" "--owner=root:0" "--group=root:0"
                      "--sort=name" "-C" "source" directory)))))

    (gexp->derivation original-name build
                      #:graft? #f
                      #:system system
                      #:guile-for-build guile-for-build
                      #:properties `((type . origin)
                                     (patches . ,(length patches))))))

(define (origin-computed? origin)
  ;; A computed origin (Guix's 'computed-origin-method'): no hash, and a
  ;; promise of the gexp building it as its URI.
  (and (promise? (origin-uri origin))
       (let ((hash (origin-hash origin)))
         (or (not hash) (not (content-hash-value hash))))))

(define* (computed-origin-method gexp-promise hash-algo hash
                                 #:optional (name "source")
                                 #:key (system (%current-system))
                                 (guile #f))
  "Return a derivation that builds the source from the gexp GEXP-PROMISE
forces to (the method of Linux-libre's deblobbed source)."
  (mlet %store-monad ((guile (if guile
                                 (package->derivation guile system)
                                 (default-guile-derivation system))))
    (gexp->derivation (or name "computed-origin")
                      (force gexp-promise)
                      #:graft? #f
                      #:system system
                      #:guile-for-build guile)))

(define* (origin->derivation source #:optional (system (%current-system)))
  "Return the derivation corresponding to SOURCE, an origin, for SYSTEM."
  (let ((uri       (origin-uri source))
        (method    (origin-method source))
        (hash      (origin-hash source))
        (name      (origin-file-name source))
        (patches   (origin-patches source))
        (snippet   (origin-snippet source)))
    (cond
     ((origin-computed? source)
      (computed-origin-method uri #f #f name #:system system))
     ((and (null? patches) (not snippet))
      (method uri (content-hash-algorithm hash) (content-hash-value hash)
              name #:system system))
     (else
      (mlet %store-monad ((fetched (origin->derivation
                                   (origin (inherit source)
                                           (snippet #f)
                                           (patches '()))
                                   system))
                          (guile  (let ((g (origin-patch-guile source)))
                                    (if g
                                        (package->derivation g system)
                                        (default-guile-derivation system)))))
        (patch-and-repack fetched patches
                          #:inputs (origin-patch-inputs source)
                          #:snippet snippet
                          #:flags (origin-patch-flags source)
                          #:system system
                          #:modules (origin-modules source)
                          #:guile-for-build guile))))))


;;;
;;; Lowering packages.
;;;

(define (default-guile)
  "The Guile that runs builders: Guix's guile-final, which schemos models as
guile-3.0 built in the bootstrap stage (see (gnu packages bootstrap))."
  (module-ref (resolve-interface '(gnu packages guile)) 'guile-3.0))

(define (bootstrap-guile)
  (module-ref (resolve-interface '(gnu packages bootstrap)) '%bootstrap-guile))

(define* (default-guile-derivation #:optional (system (%current-system)))
  "Return as a monadic value the derivation of the Guile that runs builders
for SYSTEM: the bootstrap Guile in the bootstrap stage, guile-final after."
  (lambda (store)
    (if (%bootstrap-stage?)
        (%lower-object store (bootstrap-guile) system #f)
        (parameterize ((%bootstrap-stage? #t))
          (%lower-object store (default-guile) system #f)))))

(%set-lowering-hook! 'default-guile-derivation default-guile-derivation)

(define* (package->bag package #:optional
                       (system (%current-system))
                       (target (%current-target-system))
                       #:key graft?)
  "Compile PACKAGE into a bag for SYSTEM, possibly cross-compiled to TARGET,
and return it."
  ;; Thunked fields (inputs, arguments) see SYSTEM and TARGET.
  (parameterize ((%current-system system)
                 (%current-target-system target))
    (or (make-bag (package-build-system package)
                  (string-append (package-name package) "-"
                                 (package-version package))
                  #:system system
                  #:target target
                  #:source (package-source package)
                  #:inputs (append (package-inputs package)
                                   (package-propagated-inputs package))
                  #:outputs (package-outputs package)
                  #:native-inputs (package-native-inputs package)
                  #:arguments (package-arguments package))
        (error (if target
                   (format #f "~a: build system `~a' does not support cross builds"
                           (package-full-name package)
                           (build-system-name (package-build-system package)))
                   (format #f "~a: cannot lower the package"
                           (package-full-name package)))
               package))))

(define (bag-transitive-inputs bag)
  "Same as 'package-transitive-inputs', but applied to a bag."
  (transitive-inputs (append (bag-build-inputs bag)
                             (bag-host-inputs bag)
                             (bag-target-inputs bag))))

(define (bag-transitive-build-inputs bag)
  "Same as 'package-transitive-native-inputs', but applied to a bag."
  (transitive-inputs (bag-build-inputs bag)))

(define (bag-transitive-host-inputs bag)
  "Same as 'package-transitive-target-inputs', but applied to a bag."
  (transitive-inputs (bag-host-inputs bag)))

(define (bag-transitive-target-inputs bag)
  "Return the \"target inputs\" of BAG, recursively."
  (transitive-inputs (bag-target-inputs bag)))

(define* (expand-input store package input system #:optional target)
  ;; INPUT, a labelled input, as a (LABEL GEXP-INPUT) tuple; packages are
  ;; lowered now (natively unless TARGET), so that duplicates can be found.
  (let ((label (car input))
        (thing (cadr input))
        (output (if (pair? (cddr input)) (caddr input) "out")))
    ;; %make-gexp-input rather than 'gexp-input': this runs for every input
    ;; of every package, and keyword parsing shows in profiles
    (cond ((package? thing)
           (list label (%make-gexp-input (%lower-object store thing system target)
                                         output (not target))))
          ((file-like? thing)
           (list label (%make-gexp-input thing output (not target))))
          ((and (string? thing) (file-exists? thing))
           (list label (gexp-input (local-file (assume-valid-file-name thing)
                                               #:recursive? #t)
                                   #:native? (not target))))
          (else
           (error (format #f "~a: invalid input: ~s"
                          (package-full-name package) input))))))

(define (delete-duplicate-inputs inputs)
  ;; Inputs with the same label, output and derivation are one (a hash table
  ;; rather than Guix's pairwise 'delete-duplicates': bags have dozens).
  (let ((seen (make-hash-table)))
    (filter (lambda (input)
              (let* ((in    (cadr input))
                     (thing (gexp-input-thing in))
                     (key   (string-append
                             (car input) "\x00" (gexp-input-output in) "\x00"
                             (if (derivation? thing)
                                 (derivation-file-name thing)
                                 (number->string (object-address thing))))))
                (and (not (hash-ref seen key))
                     (hash-set! seen key #t))))
            inputs)))

(define (search-paths-of inputs accessor)
  (delete-duplicates
   (append-map (lambda (input)
                 (if (package? (cadr input)) (accessor (cadr input)) '()))
               inputs)))

(define (bag->derivation* store bag context)
  ;; The derivation of BAG, made in STORE.
  (if (bag-target bag)
      (bag->cross-derivation* store bag context)
      (let* ((system (bag-system bag))
             (inputs (bag-transitive-inputs bag))
             (input-drvs (map (lambda (i) (expand-input store context i system))
                              inputs)))
        (run-with-store store
          (apply (bag-build bag) (bag-name bag)
                 (delete-duplicate-inputs input-drvs)
                 #:search-paths (search-paths-of inputs package-native-search-paths)
                 #:outputs (bag-outputs bag) #:system system
                 (bag-arguments bag))
          #:system system))))

(define (bag->cross-derivation* store bag context)
  (let* ((system  (bag-system bag))
         (target  (bag-target bag))
         (host    (bag-transitive-host-inputs bag))
         (target* (bag-transitive-target-inputs bag))
         (build   (bag-transitive-build-inputs bag))
         (expand  (lambda (target)
                    (lambda (i) (expand-input store context i system target))))
         (all     (append build target* host)))
    (run-with-store store
      (apply (bag-build bag) (bag-name bag)
             #:build-inputs (delete-duplicate-inputs (map (expand #f) build))
             #:host-inputs (delete-duplicate-inputs (map (expand target) host))
             #:target-inputs (delete-duplicate-inputs (map (expand #f) target*))
             #:search-paths (search-paths-of all package-search-paths)
             #:native-search-paths (search-paths-of all package-native-search-paths)
             #:outputs (bag-outputs bag)
             #:system system
             #:target target
             (bag-arguments bag))
      #:system system
      #:target target)))

(define* (bag->derivation bag #:optional context)
  "Return as a monadic value the derivation to build BAG."
  (lambda (store)
    (bag->derivation* store bag context)))

(define* (package->derivation package #:optional (system (%current-system))
                              #:key graft?)
  "Return as a monadic value the derivation of PACKAGE for SYSTEM."
  (lambda (store)
    (%lower-object store package system #f)))

(define* (package->cross-derivation package target
                                    #:optional (system (%current-system))
                                    #:key graft?)
  "Return as a monadic value the derivation of PACKAGE cross-built for
TARGET on SYSTEM."
  (lambda (store)
    (%lower-object store package system target)))

(define* (package-derivation store package #:optional (system (%current-system))
                             #:key graft?)
  "Return the derivation of PACKAGE for SYSTEM."
  (%lower-object store package system #f))

(define* (package-cross-derivation store package target
                                   #:optional (system (%current-system))
                                   #:key graft?)
  "Return the derivation of PACKAGE cross-built for TARGET on SYSTEM."
  (%lower-object store package system target))

(define* (package-output store package #:optional (output "out")
                         (system (%current-system)))
  "Return the store file name of OUTPUT of PACKAGE for SYSTEM."
  (derivation->output-path (package-derivation store package system) output))

(define* (package-file package #:optional file
                       #:key system (output "out") target)
  "Return as a monadic value the file name of FILE in OUTPUT of PACKAGE."
  (lambda (store)
    (let ((drv (%lower-object store package (or system (%current-system))
                              (or target (%current-target-system)))))
      (if file
          (string-append (derivation->output-path drv output) "/" file)
          (derivation->output-path drv output)))))
