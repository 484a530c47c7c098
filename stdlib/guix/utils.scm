;;; (guix utils): the helpers of GNU Guix's (guix utils) that system
;;; configurations and package definitions use.
;;;
;;; Written after Guix's guix/utils.scm, with the same semantics:
;;; %current-system and %current-target-system (parameters), the target-*?
;;; predicates, version strings (version-compare is glibc's strverscmp, as
;;; in Guix), keyword-argument lists (substitute-keyword-arguments ...),
;;; file names and string helpers.  %current-system is "x86_64-linux" by
;;; default.  The procedures that need the host (compression, temporary
;;; files, editing source files) are not provided.

(define-module (guix utils)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-26)
  #:use-module (ice-9 regex)
  #:use-module (schemos guix utils)
  #:export (strip-keyword-arguments
            default-keyword-arguments
            substitute-keyword-arguments
            ensure-keyword-arguments

            nix-system->gnu-triplet
            gnu-triplet->nix-system
            %current-system
            %current-target-system
            package-name->name+version
            target-linux?
            target-hurd?
            system-hurd?
            target-mingw?
            target-x86-32?
            target-x86-64?
            target-x86?
            target-arm32?
            target-aarch64?
            target-arm?
            target-ppc32?
            target-ppc64le?
            target-powerpc?
            target-riscv64?
            target-mips64el?
            target-64bit?
            target-little-endian?
            ar-for-target
            as-for-target
            cc-for-target
            cxx-for-target
            ld-for-target
            pkg-config-for-target

            version-compare
            version>?
            version>=?
            version-prefix
            version-major+minor+point
            version-major+minor
            version-major
            version-unique-prefix
            version-prefix?
            string-replace-substring
            file-extension
            file-sans-extension
            tarball-sans-extension
            compressed-file?

            string-distance
            string-closest))


;;;
;;; Keyword arguments.
;;;

(define (strip-keyword-arguments keywords args)
  "Remove all of the keyword arguments listed in KEYWORDS from ARGS."
  (let loop ((args args) (result '()))
    (cond ((null? args)
           (reverse result))
          ((and (keyword? (car args)) (pair? (cdr args)))
           (loop (cddr args)
                 (if (memq (car args) keywords)
                     result
                     (cons* (cadr args) (car args) result))))
          (else
           (loop (cdr args) (cons (car args) result))))))

(define (default-keyword-arguments args defaults)
  "Return ARGS augmented with any keyword/value from DEFAULTS for
keywords not already present in ARGS."
  (let loop ((defaults defaults) (args args))
    (if (and (pair? defaults) (pair? (cdr defaults)))
        (let ((kw (car defaults)) (value (cadr defaults)))
          (loop (cddr defaults)
                (if (memq kw args) args (cons* kw value args))))
        args)))

(define (%substitute-keyword-arguments original-args clauses)
  ;; CLAUSES is a list of (KEYWORD PROC [DEFAULT]): the value after each
  ;; KEYWORD in ORIGINAL-ARGS is replaced by (PROC value); a keyword that is
  ;; missing gets DEFAULT as its value first, if there is one
  (define defaults
    (append-map (lambda (clause)
                  (if (pair? (cddr clause))
                      (list (car clause) (caddr clause))
                      '()))
                clauses))
  (let loop ((args (default-keyword-arguments original-args defaults))
             (before '()))
    (if (null? args)
        (reverse before)
        (let ((clause (and (pair? (cdr args)) (assq (car args) clauses))))
          (if clause
              (loop (cddr args)
                    (cons* ((cadr clause) (cadr args)) (car args) before))
              (loop (cdr args) (cons (car args) before)))))))

(define-syntax substitute-keyword-arguments
  ;; Return a new list of arguments where the value for keyword arg KW is
  ;; replaced by EXP.  EXP is evaluated in a context where VAR is bound to the
  ;; previous value of the keyword argument, or DFLT if given.
  (syntax-rules ()
    ((_ original-args ((kw var dflt ...) exp) ...)
     (%substitute-keyword-arguments
      original-args
      (list (list kw (lambda (var) exp) dflt ...) ...)))))

(define (delkw kw lst)
  ;; LST without KW and its value
  (let loop ((lst lst) (result '()))
    (cond ((null? lst) (reverse result))
          ((eq? (car lst) kw) (append (reverse result) (cddr lst)))
          (else (loop (cddr lst) (cons* (cadr lst) (car lst) result))))))

(define (ensure-keyword-arguments args kw/values)
  "Force the keywords arguments KW/VALUES in the keyword argument list ARGS.
For instance:

  (ensure-keyword-arguments '(#:foo 2) '(#:foo 2))
  => (#:foo 2)

  (ensure-keyword-arguments '(#:foo 2) '(#:bar 3))
  => (#:foo 2 #:bar 3)

  (ensure-keyword-arguments '(#:foo 2) '(#:bar 3 #:foo 42))
  => (#:foo 42 #:bar 3)
"
  (let loop ((args args) (kw/values kw/values) (result '()))
    (if (null? args)
        (append (reverse result) kw/values)
        (let* ((kw (car args))
               (value (cadr args))
               (forced (memq kw kw/values)))
          (if forced
              (loop (cddr args) (delkw kw kw/values) (cons* (cadr forced) kw result))
              (loop (cddr args) kw/values (cons* value kw result)))))))


;;;
;;; System strings.
;;;

(define %current-system
  ;; System type as expected by Nix, usually ARCHITECTURE-KERNEL.
  (make-parameter "x86_64-linux"))

(define %current-target-system
  ;; Either #f or a GNU triplet representing the target system we are
  ;; cross-building to.
  (make-parameter #f))

(define* (nix-system->gnu-triplet #:optional (system (%current-system)) (vendor "unknown"))
  "Return a guess of the GNU triplet corresponding to Nix system
identifier SYSTEM."
  (if (string=? system "armhf-linux")
      (string-append "arm-" vendor "-linux-gnueabihf")
      (let* ((dash (string-index system #\-))
             (arch (substring system 0 dash))
             (os (substring system (+ 1 dash))))
        (string-append arch "-" vendor "-"
                       (if (string=? os "linux") "linux-gnu" os)))))

(define (gnu-triplet->nix-system triplet)
  "Return the Nix system type corresponding to TRIPLET, a GNU triplet as
returned by `config.guess'."
  (let ((triplet (cond ((string-match "^i[345]86-(.*)$" triplet)
                        => (lambda (m) (string-append "i686-" (match:substring m 1))))
                       (else triplet))))
    (cond ((string-match "^arm[^-]*-([^-]+-)?linux-gnueabihf" triplet)
           "armhf-linux")
          ((string-match "^([^-]+)-([^-]+-)?linux-gnu.*" triplet)
           => (lambda (m)
                ;; Nix omits `-gnu' for GNU/Linux.
                (string-append (match:substring m 1) "-linux")))
          ((string-match "^([^-]+)-([^-]+-)?([[:alpha:]]+)([0-9]+\\.?)*$" triplet)
           => (lambda (m)
                ;; Nix strips the version number from names such as `gnu0.3',
                ;; `darwin10.2.0', etc., and always strips the vendor part.
                (string-append (match:substring m 1) "-" (match:substring m 3))))
          (else triplet))))

(define* (package-name->name+version spec #:optional (delimiter #\@))
  "Given SPEC, a package name like \"foo@0.9.1b\", return two values: \"foo\"
and \"0.9.1b\".  When the version part is unavailable, SPEC and #f are
returned."
  (let ((idx (string-rindex spec delimiter)))
    (if idx
        (values (substring spec 0 idx) (substring spec (1+ idx)))
        (values spec #f))))

(define (%target)
  (or (%current-target-system) (%current-system)))

(define* (target-linux? #:optional (target (%target)))
  "Does the operating system of TARGET use the Linux kernel?"
  (->bool (string-contains target "linux")))

(define* (target-hurd? #:optional (target (%target)))
  "Does TARGET represent the GNU(/Hurd) system?"
  (and (string-suffix? "-gnu" target)
       (not (string-contains target "linux"))))

(define (system-hurd?)
  "Is the current system the GNU(/Hurd) system?"
  (and=> (%current-system) target-hurd?))

(define* (target-mingw? #:optional (target (%current-target-system)))
  "Is the operating system of TARGET Windows?"
  (and target (string-suffix? "-mingw32" target)))

(define* (target-x86-32? #:optional (target (%target)))
  "Is the architecture of TARGET a variant of Intel's 32-bit architecture
(IA32)?"
  (or (string-prefix? "i386-" target)
      (string-prefix? "i486-" target)
      (string-prefix? "i586-" target)
      (string-prefix? "i686-" target)))

(define* (target-x86-64? #:optional (target (%target)))
  "Is the architecture of TARGET a variant of Intel/AMD's 64-bit
architecture (x86_64)?"
  (string-prefix? "x86_64-" target))

(define* (target-x86? #:optional (target (%target)))
  (or (target-x86-32? target) (target-x86-64? target)))

(define* (target-arm32? #:optional (target (%target)))
  (string-prefix? "arm" target))

(define* (target-aarch64? #:optional (target (%target)))
  (string-prefix? "aarch64" target))

(define* (target-arm? #:optional (target (%target)))
  (or (target-arm32? target) (target-aarch64? target)))

(define* (target-ppc32? #:optional (target (%target)))
  (string-prefix? "powerpc-" target))

(define* (target-ppc64le? #:optional (target (%target)))
  (string-prefix? "powerpc64le-" target))

(define* (target-powerpc? #:optional (target (%target)))
  (string-prefix? "powerpc" target))

(define* (target-riscv64? #:optional (target (%target)))
  "Is the architecture of TARGET a 'riscv64' machine?"
  (string-prefix? "riscv64" target))

(define* (target-mips64el? #:optional (target (%target)))
  (string-prefix? "mips64el-" target))

(define* (target-64bit? #:optional (system (%target)))
  (any (cut string-prefix? <> system)
       '("x86_64" "aarch64" "mips64" "powerpc64" "riscv64")))

(define* (target-little-endian? #:optional (target (%target)))
  "Is the architecture of TARGET little-endian?"
  (not (target-ppc32? target)))

(define (%tool-for-target tool target)
  (if target (string-append target "-" tool) tool))

(define* (ar-for-target #:optional (target (%current-target-system)))
  (%tool-for-target "ar" target))

(define* (as-for-target #:optional (target (%current-target-system)))
  (%tool-for-target "as" target))

(define* (cc-for-target #:optional (target (%current-target-system)))
  (%tool-for-target "gcc" target))

(define* (cxx-for-target #:optional (target (%current-target-system)))
  (%tool-for-target "g++" target))

(define* (ld-for-target #:optional (target (%current-target-system)))
  (%tool-for-target "ld" target))

(define* (pkg-config-for-target #:optional (target (%current-target-system)))
  (%tool-for-target "pkg-config" target))


;;;
;;; Versions.
;;;

(define (version-compare a b)
  "Return '> when A denotes a newer version than B,
'< when A denotes a older version than B,
or '= when they denote equal versions."
  (let ((result (strverscmp a b)))
    (cond ((positive? result) '>)
          ((negative? result) '<)
          (else '=))))

(define (version-prefix version-string num-parts)
  "Truncate version-string to the first num-parts components of the version.
For example, (version-prefix \"2.1.47.4.23\" 3) returns \"2.1.47\""
  (string-join (take (string-split version-string #\.) num-parts) "."))

(define (version-major+minor+point version-string)
  "Return \"<major>.<minor>.<point>\", where major, minor and point are the
major, minor and point version numbers from the version-string.  For example,
(version-major+minor+point \"6.4.5.2\") returns \"6.4.5\" or
(version-major+minor+point \"1.19.2-2581-324ca14c3003\") returns \"1.19.2\"."
  (let* ((3-dot (version-prefix version-string 3))
         (index (string-index 3-dot #\-)))
    (if index
        (substring 3-dot 0 index)
        3-dot)))

(define (version-major+minor version-string)
  "Return \"<major>.<minor>\", where major and minor are the major and
minor version numbers from version-string."
  (version-prefix version-string 2))

(define (version-major version-string)
  "Return the major version number as string from the version-string."
  (version-prefix version-string 1))

(define (version-unique-prefix version versions)
  "Return the shortest version prefix to unambiguously identify VERSION among
VERSIONS.  For example:

  (version-unique-prefix \"2.0\" '(\"3.0\" \"2.0\"))
  => \"2\"

  (version-unique-prefix \"2.2\" '(\"3.0.5\" \"2.0.9\" \"2.2.7\"))
  => \"2.2\"

  (version-unique-prefix \"27.1\" '(\"27.1\"))
  => \"\"
"
  (define not-dot
    (char-set-complement (char-set #\.)))

  (define other-versions
    (delete version versions))

  (let loop ((prefix '())
             (components (string-tokenize version not-dot)))
    (define prefix-str
      (string-join prefix "."))

    (if (any (cut string-prefix? prefix-str <>) other-versions)
        (if (pair? components)
            (loop (append prefix (list (car components))) (cdr components))
            version)
        prefix-str)))

(define (version>? a b)
  "Return #t when A denotes a version strictly newer than B."
  (eq? '> (version-compare a b)))

(define (version>=? a b)
  "Return #t when A denotes a version newer or equal to B."
  (case (version-compare a b)
    ((> =) #t)
    (else #f)))

(define version-prefix?
  (let ((not-dot (char-set-complement (char-set #\.))))
    (lambda (v1 v2)
      "Return true if V1 is a version prefix of V2:

  (version-prefix? \"4.1\" \"4.16.2\") => #f
  (version-prefix? \"4.1\" \"4.1.2\") => #t
"
      (let loop ((l1 (string-tokenize v1 not-dot))
                 (l2 (string-tokenize v2 not-dot)))
        (cond ((null? l1) #t)
              ((null? l2) #f)
              (else (and (equal? (car l1) (car l2))
                         (loop (cdr l1) (cdr l2)))))))))


;;;
;;; Files and strings.
;;;

(define (file-extension file)
  "Return the extension of FILE or #f if there is none."
  (let ((dot (string-rindex file #\.)))
    (and dot (substring file (+ 1 dot) (string-length file)))))

(define (file-sans-extension file)
  "Return the substring of FILE without its extension, if any."
  (let ((dot (string-rindex file #\.)))
    (if dot
        (substring file 0 dot)
        file)))

(define (tarball-sans-extension tarball)
  "Return TARBALL without its .tar.* or .zip extension."
  (let ((end (or (string-contains tarball ".tar")
                 (string-contains tarball ".tgz")
                 (string-contains tarball ".zip"))))
    (substring tarball 0 end)))

(define (compressed-file? file)
  "Return true if FILE denotes a compressed file."
  (->bool (member (file-extension file)
                  '("gz" "bz2" "xz" "lz" "lzma" "tgz" "tbz2" "zip"))))

(define* (string-replace-substring str substr replacement
                                   #:optional
                                   (start 0)
                                   (end (string-length str)))
  "Replace all occurrences of SUBSTR in the START--END range of STR by
REPLACEMENT."
  (let ((substr-length (string-length substr)))
    (when (zero? substr-length)
      (error "string-replace-substring: empty substring"))
    (let loop ((start start)
               (pieces (list (substring str 0 start))))
      (let ((index (string-contains str substr start end)))
        (if index
            (loop (+ index substr-length)
                  (cons* replacement (substring str start index) pieces))
            (string-concatenate-reverse (cons (substring str start) pieces)))))))

(define (%distance-row c1 s2 previous first)
  ;; the next row of the Levenshtein table, for character C1 of the first
  ;; string, from the PREVIOUS row; FIRST is the row's first cell
  (let loop ((j 0) (prev previous) (row (list first)))
    (if (= j (string-length s2))
        (reverse row)
        (let ((cost (if (char=? c1 (string-ref s2 j)) 0 1)))
          (loop (+ j 1) (cdr prev)
                (cons (min (+ (car row) 1)
                           (+ (cadr prev) 1)
                           (+ (car prev) cost))
                      row))))))

(define (string-distance s1 s2)
  "Compute the Levenshtein distance between two strings."
  (let loop ((i 0) (row (iota (+ (string-length s2) 1))))
    (if (= i (string-length s1))
        (last row)
        (loop (+ i 1) (%distance-row (string-ref s1 i) s2 row (+ i 1))))))

(define* (string-closest trial tests #:key (threshold 3))
  "Return the string from TESTS that is the closest from the TRIAL,
according to 'string-distance'.  If the TESTS are too far from TRIAL,
according to THRESHOLD, then #f is returned."
  (let loop ((tests tests) (closest #f) (minimal +inf.0))
    (if (null? tests)
        closest
        (let ((dist (string-distance trial (car tests))))
          (if (and (< dist minimal) (< dist threshold))
              (loop (cdr tests) (car tests) dist)
              (loop (cdr tests) closest minimal))))))
