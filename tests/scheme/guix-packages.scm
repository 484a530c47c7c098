;;; Tests of (guix packages), (guix gexp) file-likes, (guix base32) and the
;;; (gnu packages) collection.

(use-modules (srfi srfi-64) (srfi srfi-1)
             (guix packages) (guix gexp) (guix base32) (guix download)
             (guix build-system) (guix build-system gnu)
             (guix build-system trivial) (guix build-system copy)
             ((guix licenses) #:prefix license:)
             (gnu packages) (gnu packages base) (gnu packages ssh)
             (gnu packages package-management) (gnu packages admin)
             (gnu packages linux) (gnu packages disk) (gnu packages gnupg)
             (gnu packages commencement) (gnu packages gcc)
             (gnu packages virtualization) (gnu packages texinfo))

(test-begin "guix-packages")

;; Nix base32: the sha256 of "Hello, world!\n".
(define hello-hash "1x9gyyamm7d9p2hm06hx9vx6gm4sd1mksxqlqfxaajl44i34q0fr")
(test-equal "base32 decodes to the sha256"
  #vu8(#xd9 #x01 #x4c #x46 #x24 #x84 #x4a #xa5 #xba #xc3 #x14 #x77 #x3d #x6b
       #x68 #x9a #xd4 #x67 #xfa #x4e #x1d #x1a #x50 #xa1 #xb8 #xa9 #x9d #x5a
       #x95 #xf7 #x2f #xf5)
  (base32 hello-hash))
(test-equal "base32 round trip" hello-hash
  (bytevector->nix-base32-string (nix-base32-string->bytevector hello-hash)))
(test-equal "empty" "" (bytevector->nix-base32-string (bytevector)))
(test-equal "one byte" "1w" (bytevector->nix-base32-string #vu8(#x3c)))
(test-error "bad digit" #t (base32 "e000000000000000000000000000000000000000000000000000"))

(define-public foo
  (package
    (name "foo")
    (version "1.0")
    (source (origin
              (method url-fetch)
              (uri "mirror://gnu/foo/foo-1.0.tar.gz")
              (sha256 (base32 hello-hash))))
    (build-system gnu-build-system)
    (synopsis "Foo")
    (description "Foo.")
    (home-page "https://example.org/foo")
    (license license:gpl3+)))

(define bar
  (package
    (inherit foo)
    (name "bar")
    (inputs (list foo))
    (native-inputs `(("hello" ,hello)))
    (arguments (list #:foo (this-package-input "foo")))))

(test-equal "defaults" '(() ("out") #f ())
  (list (package-inputs foo) (package-outputs foo) (package-replacement foo)
        (package-properties foo)))
(test-assert "supported systems default" (member "i586-gnu" (package-supported-systems foo)))
(test-equal "full name" "foo@1.0" (package-full-name foo))
(test-equal "full name delimiter" "foo-1.0" (package-full-name foo "-"))
(test-equal "new-style inputs get labels" '(("foo" . #t))
  (map (lambda (i) (cons (car i) (eq? (cadr i) foo))) (package-inputs bar)))
(test-equal "old-style inputs kept" '("hello") (map car (package-native-inputs bar)))
(test-eq "this-package-input" foo (cadr (package-arguments bar)))
(test-equal "inherit keeps the source" (package-source foo) (package-source bar))
(test-equal "direct inputs" '("hello" "foo") (map car (package-direct-inputs bar)))
(test-eq "lookup-package-input" foo (lookup-package-input bar "foo"))
(test-equal "origin file name" "foo-1.0.tar.gz"
  (origin-actual-file-name (package-source foo)))
(test-eq "content hash algorithm" 'sha256
  (content-hash-algorithm (origin-hash (package-source foo))))
(test-equal "location" 45 (vector-ref (package-location-vector bar) 1))
(test-assert "printer"
  (string-prefix? "#<package foo@1.0 " (call-with-output-string
                                          (lambda (p) (write foo p)))))

;; modify-inputs
(test-equal "modify-inputs delete/prepend/append"
  '("hello" "bar")
  (map car (modify-inputs (package-inputs bar)
             (delete "foo")
             (prepend hello)
             (append bar))))
(test-eq "modify-inputs replace" hello
  (cadr (car (modify-inputs (package-inputs bar) (replace "foo" hello)))))

;; package-input-rewriting
(define rewrite (package-input-rewriting `((,foo . ,hello))))
(test-equal "rewriting" "hello"
  (package-name (lookup-package-input (rewrite bar) "foo")))
(test-equal "rewriting keeps the name" "bar" (package-name (rewrite bar)))

;; Transitive inputs.
(test-equal "transitive inputs" '("hello" "foo")
  (map car (package-transitive-inputs bar)))

;; The collection.
(test-equal "specification->package" "openssh"
  (package-name (specification->package "openssh")))
(test-equal "specification->package with version" "3.0.9"
  (package-version (specification->package "guile@3.0")))
(test-error "unknown package" #t (specification->package "no-such-package"))
(test-equal "openssh-sans-x" "openssh-sans-x" (package-name openssh-sans-x))
(test-assert "guix labels"
  (every (lambda (label) (assoc label (package-direct-inputs guix)))
         '("glibc-utf8-locales" "graphviz" "po4a")))

;; The kernel: a computed origin (the upstream tarball, deblobbed), with
;; Guix's boot logo and ARM patches on top.
(test-equal "linux-libre" '("linux-libre" "6.13.6")
  (list (package-name linux-libre) (package-version linux-libre)))
(test-equal "linux-libre source file name" "linux-libre-6.13.6-guix.tar.xz"
  (origin-file-name (package-source linux-libre)))
(test-assert "linux-libre source is computed"
  (and (not (content-hash-value (origin-hash (package-source linux-libre))))
       (promise? (origin-uri (package-source linux-libre)))))
(test-equal "linux-libre patches" 2
  (length (origin-patches (package-source linux-libre))))
(test-eq "specification->package linux-libre" linux-libre
  (specification->package "linux-libre"))

;; Inputs reference each other across modules.
(test-eq "sudo uses linux-pam" linux-pam
  (lookup-package-input sudo "linux-pam"))
(test-eq "shadow uses linux-pam" linux-pam
  (lookup-package-input shadow "linux-pam"))
(test-eq "kbd keeps Guix's \"pam\" label" linux-pam
  (lookup-package-input kbd "pam"))
(test-equal "util-linux+udev prepends eudev" '("eudev" "file" "ncurses" "zlib")
  (map car (package-inputs util-linux+udev)))
(test-equal "eudev uses util-linux:lib" '("util-linux" "lib")
  (let ((input (assoc "util-linux" (package-inputs eudev))))
    (list (car input) (caddr input))))
(test-eq "isc-dhcp uses iproute" iproute
  (lookup-package-input isc-dhcp "iproute"))
(test-assert "isc-dhcp's BIND source is an input origin"
  (origin? (cadr (assoc "bind-source-tarball" (package-inputs isc-dhcp)))))
(test-equal "info-reader adds gzip" '("gzip" "ncurses")
  (map car (package-inputs info-reader)))

;; Variables re-exported where (gnu system ...) looks them up.
(test-eq "fatfsck/static from (gnu packages linux)" fatfsck/static
  (module-ref (resolve-interface '(gnu packages linux)) 'fatfsck/static))
(test-eq "pam-gnupg from (gnu packages gnupg)" pam-gnupg
  (module-ref (resolve-interface '(gnu packages gnupg)) 'pam-gnupg))

;; The GNU build system's implicit inputs and the tool chain.
(test-equal "%final-inputs labels"
  '("tar" "gzip" "bzip2" "xz" "file" "diffutils" "patch" "findutils" "gawk"
    "sed" "grep" "coreutils" "make" "bash" "ld-wrapper" "binutils" "gcc"
    "libc" "libc:static" "locales")
  (map car (%final-inputs "x86_64-linux")))
(test-equal "gcc is GCC 11 on GNU/Linux" "11.4.0" (package-version gcc))
(test-equal "gcc-toolchain" '("gcc-toolchain" "11.4.0" #f)
  (list (package-name gcc-toolchain) (package-version gcc-toolchain)
        (package-source gcc-toolchain)))
(test-equal "gcc-toolchain inputs"
  '("gcc" "ld-wrapper" "binutils" "libc" "libc-debug" "libc-static")
  (map car (package-inputs gcc-toolchain)))

;; qemu-minimal restricts QEMU to the host's emulators.
(test-equal "qemu-minimal" '("qemu-minimal" "9.1.3" ("out" "doc"))
  (list (package-name qemu-minimal) (package-version qemu-minimal)
        (package-outputs qemu-minimal)))
(test-eq "qemu-minimal shares QEMU's source" (package-source qemu)
  (package-source qemu-minimal))

;; Build systems.
(test-equal "build system names" '(gnu trivial copy)
  (map build-system-name (list gnu-build-system trivial-build-system
                               copy-build-system)))

;; File-likes.
(define pf (plain-file "hello.txt" "Hello, world!\n"))
(test-equal "plain-file" '("hello.txt" "Hello, world!\n")
  (list (plain-file-name pf) (plain-file-content pf)))
(test-assert "file-like?" (and (file-like? pf) (file-like? foo)
                               (not (file-like? "x")) (not (file-like? 1))))
(define lf (local-file "data/local-file.txt"))
(test-equal "local-file name" "local-file.txt" (local-file-name lf))
(test-assert "local-file relative to this file"
  (string-suffix? "tests/scheme/data/local-file.txt"
                  (local-file-absolute-file-name lf)))
(test-equal "local-file options" '(#t "x")
  (let ((f (local-file "data" "x" #:recursive? #t)))
    (list (local-file-recursive? f) (local-file-name f))))
(define fa (file-append foo "/bin/foo"))
(test-equal "file-append" '("/bin/foo") (file-append-suffix fa))
(test-eq "file-append base" foo (file-append-base fa))
(define cf (computed-file "x" #~(mkdir "y")))
(test-equal "computed-file" '("x" (#:local-build? #t))
  (list (computed-file-name cf) (computed-file-options cf)))
(test-equal "program-file" "prog" (program-file-name (program-file "prog" #~(display 1))))
(test-equal "scheme-file" "s.scm" (scheme-file-name (scheme-file "s.scm" #~(display 1))))
(test-equal "gexp-input" '("out" #f)
  (let ((i (gexp-input foo))) (list (gexp-input-output i) (gexp-input-native? i))))

(test-end "guix-packages")
