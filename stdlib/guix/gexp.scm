;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix gexp): g-expressions, the "file-like" objects that can appear in
;;; them, and their lowering to derivations.
;;;
;;; The gexp values themselves (#~, #$, #+, with-imported-modules,
;;; with-extensions) are built into schemos (see schemos/gexp.py); this
;;; module re-exports them under Guix's names and defines, as records, the
;;; declarative file-likes Guix users write: local-file, plain-file,
;;; computed-file, program-file, scheme-file, file-append, mixed-text-file,
;;; file-union, directory-union, with-parameters.
;;;
;;; 'file-like?' is true of every object whose record type has a gexp
;;; compiler, as in Guix; 'define-gexp-compiler' registers one.  Compilers
;;; are Guix's: (lambda (obj system target) ...) returning a value in the
;;; store monad.  The machinery that calls them -- lower-object, gexp
;;; inputs, gexp->sexp, lower-gexp, gexp->derivation -- is Python
;;; (schemos/store/lower.py); what the file-likes lower to, and the
;;; builders of imported modules, scripts and Scheme files, are written
;;; here as Guix writes them.

(define-module (guix gexp)
  #:use-module (schemos gexp-support)
  #:use-module (schemos store)
  #:use-module (guix store)
  #:use-module (guix monads)
  #:use-module (guix utils)
  #:use-module (srfi srfi-1)
  #:re-export (gexp?
               gexp-inputs
               gexp-input?
               gexp-input-thing
               gexp-input-output
               gexp-input-native?
               with-imported-modules
               with-extensions
               lowered-gexp?
               lowered-gexp-sexp
               lowered-gexp-inputs
               lowered-gexp-sources
               lowered-gexp-guile
               lowered-gexp-load-path
               lowered-gexp-load-compiled-path)
  #:export (gexp-input
            gexp->approximate-sexp
            gexp-modules
            gexp-extensions
            gexp-outputs
            sexp->gexp
            let-system

            assume-valid-file-name
            local-file
            local-file?
            local-file-file
            local-file-absolute-file-name
            local-file-name
            local-file-recursive?
            local-file-select?

            plain-file
            plain-file?
            plain-file-name
            plain-file-content

            computed-file
            computed-file?
            computed-file-name
            computed-file-gexp
            computed-file-guile
            computed-file-options

            program-file
            program-file?
            program-file-name
            program-file-gexp
            program-file-guile
            program-file-module-path

            scheme-file
            scheme-file?
            scheme-file-name
            scheme-file-gexp
            scheme-file-splice?
            scheme-file-set-load-path?

            file-append
            file-append?
            file-append-base
            file-append-suffix

            raw-derivation-file
            raw-derivation-file?
            raw-derivation-file-object

            with-parameters
            parameterized?
            parameterized-bindings
            parameterized-thunk

            load-path-expression
            lower-gexp
            with-build-variables
            input-tuples->gexp
            outputs->gexp

            gexp->derivation
            gexp->file
            gexp->script
            text-file*
            mixed-text-file
            file-union
            directory-union

            imported-files
            imported-modules
            compiled-modules
            default-guile

            define-gexp-compiler
            gexp-compiler?
            gexp-compiler-type
            gexp-compiler-lower
            gexp-compiler-expand
            lookup-compiler
            lookup-expander
            default-expander
            file-like?
            lower-object
            lower+expand-object))


;;;
;;; Gexp compilers: what makes an object "file-like".
;;;

(define-record-type <gexp-compiler>
  (gexp-compiler type lower expand)
  gexp-compiler?
  (type   gexp-compiler-type)                     ;record type descriptor
  (lower  gexp-compiler-lower)                    ;obj system target -> monadic
  (expand gexp-compiler-expand))                  ;obj lowered output -> sexp

(define (register-compiler! compiler)
  ;; The registry is Python's, so that lowering finds compilers without
  ;; calling back into Scheme for each object.
  (%register-gexp-compiler! (gexp-compiler-type compiler)
                            (gexp-compiler-lower compiler)
                            (gexp-compiler-expand compiler)))

(define (lookup-compiler obj)
  "Return the procedure lowering OBJ, or #f if OBJ is not file-like."
  (%lookup-compiler obj))

(define (lookup-expander obj)
  "Return the procedure expanding lowered OBJ to an s-expression, or #f."
  (%lookup-expander obj))

(define (file-like? obj)
  "Return #t if OBJ leads to a file in the store once unquoted in a gexp."
  (%file-like? obj))

(define (default-expander thing obj output)
  "The expansion of lowered OBJ's OUTPUT: its output file name if OBJ is a
derivation, OBJ itself if it is a store file name or self-quoting."
  (if (derivation? obj)
      (derivation->output-path obj output)
      obj))

(%set-lowering-hook! 'default-expander default-expander)

(define-syntax define-gexp-compiler
  (syntax-rules (=> compiler expander)
    ((_ (name (param record-type) system target) body ...)
     (define-gexp-compiler name record-type
       compiler => (lambda (param system target) body ...)
       expander => default-expander))
    ((_ name record-type
        compiler => compile
        expander => expand)
     (begin
       (define name (gexp-compiler record-type compile expand))
       (register-compiler! name)))))

(define* (lower-object obj #:optional (system (%current-system))
                       #:key (target 'current))
  "Return as a value in %STORE-MONAD the derivation or store item
corresponding to OBJ for SYSTEM, cross-compiling for TARGET if TARGET is true.
OBJ must be an object that has an associated gexp compiler, such as a
<package>."
  (lambda (store)
    (%lower-object store obj system
                   (if (eq? target 'current) (%current-target-system) target))))

(define* (lower+expand-object obj #:optional (system (%current-system))
                              #:key target (output "out"))
  "Return as a monadic value what OBJ's OUTPUT expands to in a gexp."
  (lambda (store)
    (%lower+expand-object store obj system target output)))

(define (gexp-modules exp)
  "Return the list of Guile module names EXP (a gexp) and the gexps it
embeds rely on; the empty list for anything but a gexp."
  (if (gexp? exp) (%gexp-modules* exp) '()))

(define (gexp-extensions exp)
  "Return the Guile extensions (packages) EXP relies on."
  (if (gexp? exp) (%gexp-extensions* exp) '()))

(define (gexp-outputs exp)
  "Return the names of the outputs EXP refers to with #$output."
  (%gexp-outputs* exp))

(define (sexp->gexp sexp)
  "Turn SEXP into a gexp without any references."
  (%make-gexp sexp '()))


;;;
;;; Gexp inputs.
;;;

(define* (gexp-input thing #:optional (output "out") #:key native?)
  "Return a gexp input for the OUTPUT of THING; NATIVE? says whether THING is
needed for the build system rather than the target."
  (%make-gexp-input thing output native?))

(define (gexp->approximate-sexp gexp)
  "The s-expression of GEXP with its inputs written in place, unlowered."
  (gexp->sexp gexp))


;;;
;;; Local files.
;;;

;; FILE is the name as written; ABSOLUTE is a promise of its canonical
;; absolute name, computed (and checked) only when needed.
(define-record-type <local-file>
  (%%local-file file absolute name recursive? select?)
  local-file?
  (file       local-file-file)                    ;string
  (absolute   %local-file-absolute-file-name)     ;promise of a string
  (name       local-file-name)                    ;string
  (recursive? local-file-recursive?)              ;boolean
  (select?    local-file-select?))                ;file stat -> boolean

(define (true file stat) #t)

(define* (%local-file file promise #:optional (name (basename file))
                      #:key (literal? #t) location
                      recursive? (select? true))
  (when (and (not literal?) (not (string-prefix? "/" file)))
    ;; Guix warns: a computed relative name depends on the current directory.
    (format (current-error-port)
            "~awarning: resolving '~a' relative to current directory~%"
            (if (vector? location)
                (format #f "~a:~a:~a: " (vector-ref location 0)
                        (vector-ref location 1) (vector-ref location 2))
                "")
            file))
  (%%local-file file promise name recursive? select?))

(define-syntax-rule (assume-valid-file-name file)
  file)

;; (local-file FILE [NAME] #:recursive? #:select?): a literal FILE is looked
;; up relative to the directory of the source file where the form appears.
(define-syntax local-file
  (%local-file-syntax %local-file %absolute-file-name))

(define (local-file-absolute-file-name file)
  "Return the absolute file name of FILE, a <local-file>; a 'system-error' is
raised if it does not exist."
  (force (%local-file-absolute-file-name file)))

(define (write-local-file file port)
  (format port "#<local-file ~s ~a>" (local-file-file file)
          (number->string (object-address file) 16)))

(set-record-type-printer! <local-file> write-local-file)

;; "Compile" a local file by adding it to the store, flat or recursively.
(define-gexp-compiler local-file-compiler <local-file>
  compiler => (lambda (file system target)
                (interned-file (local-file-absolute-file-name file)
                               (local-file-name file)
                               #:recursive? (local-file-recursive? file)
                               #:select? (local-file-select? file)))
  expander => default-expander)


;;;
;;; Plain files.
;;;

(define-record-type <plain-file>
  (%plain-file name content references)
  plain-file?
  (name       plain-file-name)                    ;string
  (content    plain-file-content)                 ;string or bytevector
  (references plain-file-references))             ;list (unused, as in Guix)

(define (plain-file name content)
  "Return an object representing a text file called NAME with the given
CONTENT (a string or a bytevector) to be added to the store."
  (%plain-file name content '()))

(define (write-plain-file file port)
  (format port "#<plain-file ~s ~a>" (plain-file-name file)
          (number->string (object-address file) 16)))

(set-record-type-printer! <plain-file> write-plain-file)

;; "Compile" a plain file by adding its text to the store.
(define-gexp-compiler plain-file-compiler <plain-file>
  compiler => (lambda (file system target)
                (let ((content (plain-file-content file)))
                  (if (string? content)
                      (text-file (plain-file-name file) content
                                 (plain-file-references file))
                      (binary-file (plain-file-name file) content
                                   (plain-file-references file)))))
  expander => default-expander)


;;;
;;; Computed files, programs and Scheme files.
;;;

(define-record-type <computed-file>
  (%computed-file name gexp guile options)
  computed-file?
  (name    computed-file-name)                    ;string
  (gexp    computed-file-gexp)                    ;gexp
  (guile   computed-file-guile)                   ;package or #f
  (options computed-file-options))                ;gexp->derivation arguments

(define* (computed-file name gexp
                        #:key guile (local-build? #t) (options '()))
  "Return an object representing the store item NAME, a file or directory
computed by GEXP."
  (%computed-file name gexp guile
                  (cons* #:local-build? local-build? options)))

(define (write-computed-file file port)
  (format port "#<computed-file ~s ~a>" (computed-file-name file)
          (number->string (object-address file) 16)))

(set-record-type-printer! <computed-file> write-computed-file)

;; A computed file is the derivation whose build expression is its gexp.
(define-gexp-compiler computed-file-compiler <computed-file>
  compiler => (lambda (file system target)
                (let ((name    (computed-file-name file))
                      (gexp    (computed-file-gexp file))
                      (guile   (computed-file-guile file))
                      (options (computed-file-options file)))
                  (if guile
                      (mlet %store-monad ((guile (lower-object guile system
                                                               #:target target)))
                        (apply gexp->derivation name gexp
                               #:guile-for-build guile
                               #:system system #:target target options))
                      (apply gexp->derivation name gexp
                             #:system system #:target target options))))
  expander => default-expander)

(define-record-type <program-file>
  (%program-file name gexp guile path)
  program-file?
  (name  program-file-name)                       ;string
  (gexp  program-file-gexp)                       ;gexp
  (guile program-file-guile)                      ;package or #f
  (path  program-file-module-path))               ;list of strings

(define* (program-file name gexp #:key (guile #f) (module-path '()))
  "Return an object representing the executable store item NAME that runs
GEXP with GUILE."
  (%program-file name gexp guile module-path))

(define (write-program-file file port)
  (format port "#<program-file ~s ~a>" (program-file-name file)
          (number->string (object-address file) 16)))

(set-record-type-printer! <program-file> write-program-file)

(define-gexp-compiler program-file-compiler <program-file>
  compiler => (lambda (file system target)
                (gexp->script (program-file-name file)
                              (program-file-gexp file)
                              #:module-path (program-file-module-path file)
                              #:guile (or (program-file-guile file)
                                          (default-guile))
                              #:system system
                              #:target target))
  expander => default-expander)

(define-record-type <scheme-file>
  (%scheme-file name gexp splice? load-path?)
  scheme-file?
  (name       scheme-file-name)                   ;string
  (gexp       scheme-file-gexp)                   ;gexp
  (splice?    scheme-file-splice?)                ;boolean
  (load-path? scheme-file-set-load-path?))        ;boolean

(define* (scheme-file name gexp #:key splice? (set-load-path? #t))
  "Return an object representing the Scheme file NAME that contains GEXP."
  (%scheme-file name gexp splice? set-load-path?))

(define (write-scheme-file file port)
  (format port "#<scheme-file ~s ~a>" (scheme-file-name file)
          (number->string (object-address file) 16)))

(set-record-type-printer! <scheme-file> write-scheme-file)

(define-gexp-compiler scheme-file-compiler <scheme-file>
  compiler => (lambda (file system target)
                (gexp->file (scheme-file-name file)
                            (scheme-file-gexp file)
                            #:set-load-path? (scheme-file-set-load-path? file)
                            #:splice? (scheme-file-splice? file)
                            #:system system
                            #:target target))
  expander => default-expander)


;;;
;;; File-append.
;;;

(define-record-type <file-append>
  (%file-append base suffix)
  file-append?
  (base   file-append-base)                       ;file-like
  (suffix file-append-suffix))                    ;list of strings

(define (file-append base . suffix)
  "Return an object that expands to the file name of BASE followed by SUFFIX."
  (%file-append base suffix))

(define (write-file-append file port)
  (format port "#<file-append ~s ~s>" (file-append-base file)
          (string-join (file-append-suffix file))))

(set-record-type-printer! <file-append> write-file-append)

(define-gexp-compiler file-append-compiler <file-append>
  compiler => (lambda (obj system target)
                (lower-object (file-append-base obj) system #:target target))
  expander => (lambda (obj lowered output)
                (let* ((base   (file-append-base obj))
                       (expand (or (lookup-expander base)
                                   (lookup-expander lowered)
                                   default-expander)))
                  (string-append (expand base lowered output)
                                 (string-concatenate (file-append-suffix obj))))))


;;;
;;; Raw derivation files and parameterized objects.
;;;

(define-record-type <raw-derivation-file>
  (raw-derivation-file obj)
  raw-derivation-file?
  (obj raw-derivation-file-object))

;; Expands to the ".drv" file of the object it wraps, not to its build result.
(define-gexp-compiler raw-derivation-file-compiler <raw-derivation-file>
  compiler => (lambda (obj system target)
                (mlet %store-monad ((obj (lower-object
                                          (raw-derivation-file-object obj)
                                          system #:target target)))
                  ;; A file name makes 'lower-gexp' classify it as a source.
                  (return (if (derivation? obj)
                              (derivation-file-name obj)
                              obj))))
  expander => (lambda (obj lowered output)
                (if (derivation? lowered)
                    (derivation-file-name lowered)
                    lowered)))

(define-record-type <parameterized>
  (parameterized bindings thunk)
  parameterized?
  (bindings parameterized-bindings)               ;list of (parameter thunk)
  (thunk    parameterized-thunk))                 ;thunk returning the object

(define-syntax-rule (with-parameters ((param value) ...) body ...)
  (parameterized (list (list param (lambda () value)) ...)
                 (lambda () body ...)))

(define (call-with-parameterized obj proc)
  ;; Call PROC with the object OBJ wraps, its parameters bound.
  (let ((bindings (parameterized-bindings obj)))
    (%parameterize (map car bindings)
                   (map (lambda (b) ((cadr b))) bindings)
                   (lambda () (proc ((parameterized-thunk obj)))))))

(define-gexp-compiler parameterized-compiler <parameterized>
  compiler => (lambda (obj system target)
                (lambda (store)
                  (let ((params (map car (parameterized-bindings obj))))
                    (call-with-parameterized
                     obj
                     (lambda (thing)
                       ;; %current-system and %current-target-system among
                       ;; the parameters decide the system and target
                       (%lower-object store thing
                                      (if (memq %current-system params)
                                          (%current-system)
                                          system)
                                      (if (memq %current-target-system params)
                                          (%current-target-system)
                                          target)))))))
  expander => (lambda (obj lowered output)
                (let* ((base   ((parameterized-thunk obj)))
                       (expand (or (lookup-expander base) default-expander)))
                  (if (eq? expand default-expander)
                      ;; the default expander does not depend on parameters
                      (default-expander base lowered output)
                      (call-with-parameterized
                       obj
                       (lambda (base)
                         (expand base lowered output)))))))


;;;
;;; System bindings.
;;;

(define-record-type <system-binding>
  (system-binding proc)
  system-binding?
  (proc system-binding-proc))

;; (let-system SYSTEM BODY ...) or (let-system (SYSTEM TARGET) BODY ...):
;; BODY's value, a lowerable object, for the system being lowered for.
(define-syntax let-system
  (syntax-rules ()
    ((_ (system target) exp0 exp ...)
     (system-binding (lambda (system target) exp0 exp ...)))
    ((_ system exp0 exp ...)
     (system-binding (lambda (system target) exp0 exp ...)))))

(define-gexp-compiler system-binding-compiler <system-binding>
  compiler => (lambda (binding system target)
                (return ((system-binding-proc binding) system target)))
  expander => #f)


;;;
;;; Text files built from strings and file-likes.
;;;

(define (text-file* name . text)
  "Return as a monadic value a derivation that builds a text file containing
all of TEXT: strings and objects of any type that can be used in a gexp
(packages, derivations, local files...), whose file names are written in
place.  The resulting store file refers to all of them."
  (gexp->derivation name
                    #~(call-with-output-file (ungexp output "out")
                        (lambda (port)
                          (display (string-append #$@text) port)))
                    #:local-build? #t
                    #:substitutable? #f))

(define (mixed-text-file name . rest)
  "Return an object representing store file NAME containing TEXT, a sequence
of strings and file-like objects, as in
  (mixed-text-file \"profile\" \"export PATH=\" coreutils \"/bin\")."
  (let* ((guile (and (pair? rest) (eq? (car rest) #:guile) (cadr rest)))
         (text  (if (and (pair? rest) (eq? (car rest) #:guile))
                    (cddr rest)
                    rest)))
    (computed-file name
                   #~(call-with-output-file (ungexp output "out")
                       (lambda (port)
                         (set-port-encoding! port "UTF-8")
                         (display (string-append #$@text) port)))
                   #:guile guile)))

(define* (file-union name files #:key guile)
  "Return a <computed-file> that builds a directory containing all of FILES,
a list of (FILE-NAME FILE-LIKE) lists."
  (computed-file name
                 (with-imported-modules '((guix build utils))
                   #~(begin
                       (use-modules (guix build utils))
                       (mkdir (ungexp output))
                       (chdir (ungexp output))
                       #$@(map (lambda (entry)
                                 (let ((target (car entry))
                                       (source (cadr entry)))
                                   #~(begin
                                       (stat #$source)
                                       (mkdir-p (dirname #$target))
                                       (symlink #$source #$target))))
                               files)))
                 #:guile guile))

(define* (directory-union name things
                          #:key (copy? #f) (quiet? #f)
                          (resolve-collision 'warn-about-collision))
  "Return a directory that is the union of THINGS, file-like objects denoting
directories; a single thing is returned as is."
  (define symlink
    (if copy?
        #~(lambda (old new)
            (if (file-is-directory? old)
                (symlink old new)
                (copy-file old new)))
        #~symlink))

  (define log-port
    (if quiet?
        #~(%make-void-port "w")
        #~(current-error-port)))

  (if (and (pair? things) (null? (cdr things)))
      (car things)
      (computed-file name
                     (with-imported-modules '((guix build union))
                       #~(begin
                           (use-modules (guix build union)
                                        (srfi srfi-1))
                           (union-build (ungexp output)
                                        '#$things
                                        #:log-port #$log-port
                                        #:symlink #$symlink
                                        #:resolve-collision
                                        #$resolve-collision))))))


;;;
;;; Gexps to derivations.
;;;

(define (default-guile)
  "The Guile that runs programs made by 'program-file' and 'gexp->script':
guile-3.0 of (gnu packages guile), looked up lazily."
  (module-ref (resolve-interface '(gnu packages guile)) 'guile-3.0))

(define* (lower-gexp exp
                     #:key
                     (module-path '())
                     (system (%current-system))
                     (target 'current)
                     (graft? (%graft?))
                     (guile-for-build (%guile-for-build))
                     (effective-version "3.0")
                     deprecation-warnings)
  "Return as a monadic value EXP, a gexp, instantiated for SYSTEM and TARGET:
a <lowered-gexp> holding its s-expression, the derivations and store items
it needs, the Guile to run it and its module search paths."
  (lambda (store)
    (%lower-gexp store exp
                 #:system (or system (%current-system))
                 #:target (if (eq? target 'current) (%current-target-system) target)
                 #:module-path module-path
                 #:guile-for-build guile-for-build
                 #:effective-version effective-version)))

(define* (gexp->derivation name exp
                           #:key
                           system (target 'current)
                           hash hash-algo recursive?
                           (env-vars '())
                           (modules '())
                           (module-path '())
                           (guile-for-build (%guile-for-build))
                           (effective-version "3.0")
                           (graft? (%graft?))
                           references-graphs
                           allowed-references disallowed-references
                           leaked-env-vars
                           local-build? (substitutable? #t)
                           (properties '())
                           deprecation-warnings
                           (script-name (string-append name "-builder")))
  "Return as a monadic value a derivation NAME that runs EXP (a gexp) with
GUILE-FOR-BUILD (a derivation; by default Guix's final Guile) on SYSTEM,
cross-compiling for TARGET the packages EXP refers to with #$.  EXP is
written to a file called SCRIPT-NAME; its imported modules and extensions
are in Guile's search path.  The other arguments are those of 'derivation'."
  (lambda (store)
    (%gexp->derivation store name exp
                       #:system (or system (%current-system))
                       #:target (if (eq? target 'current)
                                    (%current-target-system)
                                    target)
                       #:hash hash #:hash-algo hash-algo #:recursive? recursive?
                       #:env-vars env-vars
                       #:modules modules
                       #:module-path module-path
                       #:guile-for-build guile-for-build
                       #:effective-version effective-version
                       #:references-graphs references-graphs
                       #:allowed-references allowed-references
                       #:disallowed-references disallowed-references
                       #:leaked-env-vars leaked-env-vars
                       #:local-build? local-build?
                       #:substitutable? substitutable?
                       #:properties properties
                       #:script-name script-name)))

(define* (input-tuples->gexp inputs #:key native?)
  "Given INPUTS, a list of label/gexp-input tuples, return a gexp that expands
to an input alist."
  (%make-gexp `(quote ,(map (lambda (input i)
                              (cons (car input) (%gexp-slot i)))
                            inputs (iota (length inputs))))
              (map (lambda (input)
                     (let ((in (cadr input)))
                       (if (gexp-input? in) in (gexp-input in #:native? native?))))
                   inputs)))

(define (outputs->gexp outputs)
  "Given OUTPUTS, a list of output names, return a gexp that expands to an
output alist."
  (%make-gexp `(list ,@(map (lambda (name i)
                              `(cons ,name ,(%gexp-slot i)))
                            outputs (iota (length outputs))))
              (map %gexp-output-input outputs)))

(define (with-build-variables inputs outputs body)
  "Return a gexp that surrounds BODY with a definition of the legacy
'%build-inputs', '%outputs', and '%output' variables based on INPUTS, a list
of name/gexp-input tuples, and OUTPUTS, a list of strings."
  #~(begin
      (define %build-inputs
        #$(input-tuples->gexp inputs))
      (define %outputs
        #$(outputs->gexp outputs))
      (define %output
        (assoc-ref %outputs "out"))

      #$body))


;;;
;;; Module handling.
;;;

(define %utils-module
  ;; The build-side (guix build utils), for 'mkdir-p' in the builders below.
  (local-file (assume-valid-file-name (%build-module-file "guix/build/utils.scm"))
              "build-utils.scm"))

(define (module->source-file-name module)
  "Return the file name corresponding to MODULE, a Guile module name."
  (string-append (string-join (map symbol->string module) "/") ".scm"))

(define* (imported-files/derivation files
                                    #:key (name "file-import")
                                    (symlink? #f)
                                    (system (%current-system))
                                    (guile (%guile-for-build)))
  "Return a derivation that imports FILES, a list of (FINAL-PATH . FILE)
pairs, FILE being a file name, a string of text (schemos: a module whose
source is not shipped) or a file-like object."
  (define (file-pair entry)
    (let ((final-path (car entry))
          (file (cdr entry)))
      (cond ((and (pair? file) (eq? (car file) 'text))
             (mlet %store-monad ((file (lower-object
                                        (plain-file (basename final-path) (cdr file))
                                        system)))
               (return (list final-path file))))
            ((string? file)
             (mlet %store-monad ((file (interned-file file (basename final-path))))
               (return (list final-path file))))
            (else
             (mlet %store-monad ((file (lower-object file system)))
               (return (list final-path file)))))))

  (mlet %store-monad ((files (mapm %store-monad file-pair files)))
    (define build
      #~(begin
          (primitive-load (ungexp %utils-module)) ;for 'mkdir-p'
          (use-modules (ice-9 match))

          (mkdir (ungexp output)) (chdir (ungexp output))
          (for-each (match-lambda
                      ((final-path store-path)
                       (mkdir-p (dirname final-path))
                       ((ungexp (if symlink? 'symlink 'copy-file))
                        store-path final-path)))
                    '(ungexp files))))

    (gexp->derivation name build
                      #:system system
                      #:guile-for-build guile
                      #:local-build? #t
                      #:substitutable? #f
                      #:env-vars '(("GUILE_WARN_DEPRECATED" . "no")))))

(define* (imported-files files
                         #:key (name "file-import")
                         (system (%current-system))
                         (guile (%guile-for-build)))
  "Import FILES into the store and return the resulting derivation or store
file name (a derivation if and only if some of FILES are file-like)."
  (if (any (lambda (entry) (file-like? (cdr entry))) files)
      (imported-files/derivation files #:name name
                                 #:symlink? #t
                                 #:system system #:guile guile)
      (lambda (store)
        (%add-file-tree-to-store
         store name
         (map (lambda (entry)
                (let ((file (cdr entry)))
                  (cons (car entry)
                        (if (and (pair? file) (eq? (car file) 'text))
                            (cdr file)
                            (cons 'file file)))))
              files)))))

(define (module-file module module-path)
  ;; The source of MODULE: shipped build-side modules first, then the module
  ;; path; a placeholder text for Guix modules schemos does not ship.
  (let ((rel (module->source-file-name module)))
    (or (%module-source rel module-path)
        (cons 'text (%placeholder-module module)))))

(define* (imported-modules modules
                           #:key (name "module-import")
                           (system (%current-system))
                           (guile (%guile-for-build))
                           (module-path '()))
  "Return a derivation (or store item) that contains the source files of
MODULES, a list of module names such as (ice-9 q), or of (NAME => FILE-LIKE)
entries."
  (let ((files (map (lambda (spec)
                      (if (and (pair? spec) (pair? (cdr spec))
                               (eq? (cadr spec) '=>))
                          (cons (module->source-file-name (car spec))
                                (caddr spec))
                          (cons (module->source-file-name spec)
                                (module-file spec module-path))))
                    modules)))
    (imported-files files #:name name #:system system #:guile guile)))

(define* (compiled-modules modules
                           #:key (name "module-import-compiled")
                           (system (%current-system))
                           target
                           (guile (%guile-for-build))
                           (module-path '())
                           (extensions '())
                           (deprecation-warnings #f)
                           (optimization-level 1))
  "Return a derivation that builds a tree containing the .go files
corresponding to MODULES, compiled with GUILE."
  (define total (length modules))

  (mlet %store-monad ((modules (imported-modules modules
                                                 #:system system
                                                 #:guile guile
                                                 #:module-path module-path))
                      (extensions (mapm %store-monad
                                        (lambda (extension)
                                          (lower-object extension system
                                                        #:target #f))
                                        extensions)))
    (define build
      (%gexp-with-hidden-inputs
       #~(begin
           (primitive-load (ungexp %utils-module)) ;for 'mkdir-p'

           (use-modules (ice-9 ftw)
                        (ice-9 format)
                        (srfi srfi-1)
                        (srfi srfi-26)
                        (system base target)
                        (system base compile))

           (define modules
             (getenv "modules"))

           (define total
             (string->number (getenv "module count")))

           (define extensions
             (string-split (getenv "extensions") #\space))

           (define target
             (getenv "target"))

           (define optimization-level
             (string->number (getenv "optimization level")))

           (define optimizations-for-level
             (or (and=> (false-if-exception
                         (resolve-interface '(system base optimize)))
                        (lambda (iface)
                          (module-ref iface 'optimizations-for-level)))
                 (const '())))

           (define (regular? file)
             (not (member file '("." ".."))))

           (define (process-entry entry output processed)
             (if (file-is-directory? entry)
                 (let ((output (string-append output "/" (basename entry))))
                   (mkdir-p output)
                   (process-directory entry output processed))
                 (let* ((base   (basename entry ".scm"))
                        (output (string-append output "/" base ".go")))
                   (format #t "[~2@a/~2@a] Compiling '~a'...~%"
                           (+ 1 processed total)
                           (* total 2)
                           entry)
                   (with-target (or target %host-type)
                                (lambda ()
                                  (compile-file entry
                                                #:output-file output
                                                #:opts
                                                `(,@%auto-compilation-options
                                                  ,@(optimizations-for-level
                                                     optimization-level)))))
                   (+ 1 processed))))

           (define (process-directory directory output processed)
             (let ((entries (map (cut string-append directory "/" <>)
                                 (scandir directory regular?))))
               (fold (cut process-entry <> output <>)
                     processed
                     entries)))

           (define* (load-from-directory directory
                                         #:optional (loaded 0))
             "Load all the source files found in DIRECTORY."
             (let ((entries (map (cut string-append directory "/" <>)
                                 (scandir directory regular?))))
               (fold (lambda (file loaded)
                       (if (file-is-directory? file)
                           (load-from-directory file loaded)
                           (begin
                             (format #t "[~2@a/~2@a] Loading '~a'...~%"
                                     (+ 1 loaded) (* 2 total)
                                     file)
                             (save-module-excursion
                              (lambda ()
                                (primitive-load file)))
                             (+ 1 loaded))))
                     loaded
                     entries)))

           (setvbuf (current-output-port)
                    (cond-expand (guile-2.2 'line) (else _IOLBF)))

           (define mkdir-p
             ;; Capture 'mkdir-p'.
             (@ (guix build utils) mkdir-p))

           ;; Remove environment variables for internal consumption.
           (unsetenv "modules")
           (unsetenv "module count")
           (unsetenv "extensions")
           (unsetenv "target")
           (unsetenv "optimization level")

           ;; Add EXTENSIONS to the search path.
           (set! %load-path
             (append (map (lambda (extension)
                            (string-append extension
                                           "/share/guile/site/"
                                           (effective-version)))
                          extensions)
                     %load-path))
           (set! %load-compiled-path
             (append (map (lambda (extension)
                            (string-append extension "/lib/guile/"
                                           (effective-version)
                                           "/site-ccache"))
                          extensions)
                     %load-compiled-path))

           (set! %load-path (cons modules %load-path))

           ;; Above we loaded our own (guix build utils) but now we may need to
           ;; load a compile a different one.  Thus, force a reload.
           (let ((utils (string-append modules
                                       "/guix/build/utils.scm")))
             (when (file-exists? utils)
               (load utils)))

           (mkdir (ungexp output))
           (chdir modules)

           (load-from-directory ".")
           (process-directory "." (ungexp output) 0))
       (append (map gexp-input extensions)
               (list (gexp-input modules)))))

    (gexp->derivation name build
                      #:script-name "compile-modules"
                      #:system system
                      #:target target
                      #:guile-for-build guile
                      #:local-build? #t
                      #:env-vars
                      `(("modules"
                         . ,(if (derivation? modules)
                                (derivation->output-path modules)
                                modules))
                        ("module count" . ,(number->string total))
                        ("extensions"
                         . ,(string-join
                             (map (lambda (ext)
                                    (if (derivation? ext)
                                        (derivation->output-path ext)
                                        ext))
                                  extensions)))
                        ("optimization level"
                         . ,(number->string optimization-level))
                        ,@(if target
                              `(("target" . ,target))
                              '())
                        ,@(case deprecation-warnings
                            ((#f)
                             '(("GUILE_WARN_DEPRECATED" . "no")))
                            ((detailed)
                             '(("GUILE_WARN_DEPRECATED" . "detailed")))
                            (else
                             '()))))))

(define (imported+compiled-modules modules system extensions guile module-path)
  ;; The pair (IMPORTED . COMPILED) for MODULES, which lowering caches.
  (mlet* %store-monad ((imported (imported-modules modules
                                                   #:guile guile
                                                   #:system system
                                                   #:module-path (or module-path '())))
                       (compiled (compiled-modules modules
                                                   #:system system
                                                   #:module-path (or module-path '())
                                                   #:extensions extensions
                                                   #:guile guile)))
    (return (cons imported compiled))))

(%set-lowering-hook! 'imported+compiled-modules imported+compiled-modules)


;;;
;;; Convenience procedures.
;;;

(define* (load-path-expression modules #:optional (path '())
                               #:key (extensions '()) system target
                               (guile (default-guile)))
  "Return as a monadic value a gexp that sets '%load-path' and
'%load-compiled-path' to point to MODULES, a list of module names searched
for in PATH.  Return #f when MODULES and EXTENSIONS are empty."
  (if (and (null? modules) (null? extensions))
      (return #f)
      (mlet* %store-monad ((guile    (lower-object guile system #:target #f))
                           (compiled (compiled-modules modules
                                                       #:guile guile
                                                       #:extensions extensions
                                                       #:module-path path
                                                       #:system system
                                                       #:target target))
                           (modules  (imported-modules modules
                                                       #:guile guile
                                                       #:module-path path
                                                       #:system system)))
        (return
         #~(eval-when (expand load eval)
             ;; Augment the load paths and delete duplicates.  Do that
             ;; without loading (srfi srfi-1) or anything.
             (let ((extensions '((ungexp-splicing extensions)))
                   (prepend (lambda (items lst)
                              ;; This is O(N²) but N is typically small.
                              (let loop ((items items)
                                         (lst lst))
                                (if (null? items)
                                    lst
                                    (loop (cdr items)
                                          (cons (car items)
                                                (delete (car items) lst))))))))
               (set! %load-path
                 (prepend (cons (ungexp modules)
                                (map (lambda (extension)
                                       (string-append extension
                                                      "/share/guile/site/"
                                                      (effective-version)))
                                     extensions))
                          %load-path))
               (set! %load-compiled-path
                 (prepend (cons (ungexp compiled)
                                (map (lambda (extension)
                                       (string-append extension
                                                      "/lib/guile/"
                                                      (effective-version)
                                                      "/site-ccache"))
                                     extensions))
                          %load-compiled-path))))))))

(define* (gexp->script name exp
                       #:key (guile (default-guile))
                       (module-path '())
                       (system (%current-system))
                       (target 'current))
  "Return an executable script NAME that runs EXP using GUILE, with EXP's
imported modules in its search path."
  (mlet* %store-monad ((target (if (eq? target 'current)
                                   (current-target-system)
                                   (return target)))
                       (set-load-path
                        (load-path-expression (gexp-modules exp)
                                              module-path
                                              #:guile guile
                                              #:extensions
                                              (gexp-extensions exp)
                                              #:system system
                                              #:target target))
                       (guile-for-build
                        (lower-object guile system #:target #f)))
    (gexp->derivation name
                      #~(call-with-output-file (ungexp output)
                          (lambda (port)
                            ;; Note: that makes a long shebang.  When the store
                            ;; is /gnu/store, that fits within the 128-byte
                            ;; limit imposed by Linux.
                            (format port
                                    "#!~a/bin/guile --no-auto-compile~%!#~%"
                                    (ungexp guile))

                            (ungexp-splicing
                             (if set-load-path
                                 #~((write '(ungexp set-load-path) port))
                                 #~()))

                            (write '(ungexp exp) port)
                            (chmod port #o555)))
                      #:system system
                      #:target target
                      #:module-path module-path
                      #:guile-for-build guile-for-build

                      ;; These derivations are not worth offloading or
                      ;; substituting.
                      #:local-build? #t
                      #:substitutable? #f)))

(define* (gexp->file name exp #:key
                     (set-load-path? #t)
                     (module-path '())
                     (splice? #f)
                     (system (%current-system))
                     (target 'current))
  "Return a derivation that builds a file NAME containing EXP.  When SPLICE?
is true, EXP is considered to be a list of expressions that will be spliced in
the resulting file.  When SET-LOAD-PATH? is true, emit code in the resulting
file to set '%load-path' and '%load-compiled-path' to honor EXP's imported
modules."
  (define modules (gexp-modules exp))
  (define extensions (gexp-extensions exp))

  (mlet* %store-monad
      ((target (if (eq? target 'current)
                   (current-target-system)
                   (return target)))
       (no-load-path? -> (or (not set-load-path?)
                             (and (null? modules)
                                  (null? extensions))))
       (set-load-path
        (if no-load-path?
            (return #f)
            (load-path-expression modules module-path
                                  #:extensions extensions
                                  #:system system
                                  #:target target))))
    (if no-load-path?
        (gexp->derivation name
                          #~(call-with-output-file (ungexp output)
                              (lambda (port)
                                (for-each
                                 (lambda (exp)
                                   (write exp port))
                                 '(ungexp (if splice?
                                              exp
                                              #~((ungexp exp)))))))
                          #:local-build? #t
                          #:substitutable? #f
                          #:system system
                          #:target target)
        (gexp->derivation name
                          #~(call-with-output-file (ungexp output)
                              (lambda (port)
                                (write '(ungexp set-load-path) port)
                                (for-each
                                 (lambda (exp)
                                   (write exp port))
                                 '(ungexp (if splice?
                                              exp
                                              #~((ungexp exp)))))))
                          #:module-path module-path
                          #:local-build? #t
                          #:substitutable? #f
                          #:system system
                          #:target target))))
