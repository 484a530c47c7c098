;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages bootstrap): the pre-built binaries everything else is
;;; built from, as in GNU Guix.
;;;
;;; The seeds are fixed-output downloads whose hashes are Guix's: four
;;; statically linked executables (bash, mkdir, tar, xz), the bootstrap
;;; Guile tarball, and the tarballs of the bootstrap binaries (Coreutils &
;;; co.), Binutils, glibc and GCC.  %bootstrap-guile is unpacked by a "raw"
;;; derivation whose builder is the bootstrap Bash; the others by trivial
;;; builds run by %bootstrap-guile.
;;;
;;; How schemos uses them (a minimal model of Guix's bootstrap, see
;;; docs/store.md): the implicit inputs of the GNU build system are the
;;; packages of %final-inputs built in the "bootstrap stage", in which the
;;; implicit inputs are %bootstrap-inputs below and builders run with
;;; %bootstrap-guile.  Guix goes through several intermediate stages
;;; (%boot0-inputs … %boot6-inputs) and, on x86_64-linux and i686-linux, the
;;; Mes-based full-source bootstrap; schemos has one stage, with the
;;; glibc/GCC/Binutils seeds Guix uses on its other systems (its
;;; %bootstrap-inputs-for-tests).

(define-module (gnu packages bootstrap)
  #:use-module ((guix licenses) #:select (gpl3+ lgpl2.1+ lgpl3+))
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix build-system)
  #:use-module (guix build-system trivial)
  #:use-module (guix store)
  #:use-module (guix monads)
  #:use-module (guix gexp)
  #:use-module (guix derivations)
  #:use-module (guix utils)
  #:use-module (guix base32)
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 match)
  #:export (bootstrap-executable
            %bootstrap-guile
            %bootstrap-coreutils&co
            %bootstrap-binutils
            %bootstrap-glibc
            %bootstrap-gcc
            %bootstrap-inputs
            %bootstrap-inputs-for-tests
            glibc-dynamic-linker))


;;;
;;; The bootstrap executables: 'bash', 'mkdir', 'tar', 'xz'.  They allow us
;;; to extract the very first tarball.
;;;

(define %bootstrap-executables
  ;; Bootstrap executables and their recursive hashes ('guix hash -r').
  `(("i686-linux"
     ("bash" ,(base32 "0rjaxyzjdllfkf1abczvgaf3cdcc7mmahyvdbkjmjzhgz92pv23g"))
     ("mkdir" ,(base32 "133ybmfpkmsnysrzbngwvbysqnsmfi8is8zifs7i7n6n600h4s1w"))
     ("tar" ,(base32 "07830bx29ad5i0l1ykj0g0b1jayjdblf01sr3ww9wbnwdbzinqms"))
     ("xz" ,(base32 "0i9kxdi17bm5gxfi2xzm0y73p3ii0cqxli1sbljm6rh2fjgyn90k")))
    ("i586-gnu"
     ("bash" ,(base32 "1as8649aqaibahhhrvkj10ci8shpi4hq5n7gnik8rhhy0dc1jarg"))
     ("mkdir" ,(base32 "1snqgpfrl00hfn82lm29jqylzjsfb9jd6ha74dp12phwb8fpbmb9"))
     ("tar" ,(base32 "0nq2c1zb3wv5bf7kd83sziaashydazrn7xgq6kijlk0zj2syzc2m"))
     ("xz" ,(base32 "033rhpk6zrpxpd6ffjyg5y2zwq9x9cnq0zljb7k8jlncbalsayq5")))
    ("aarch64-linux"
     ("bash" ,(base32 "13aqhqb8nydlwq1ah9974q0iadx1pb95v13wzzyf7vgv6nasrwzr"))
     ("mkdir" ,(base32 "1pxhdp7ldwavmm71xbh9wc197cb2nr66acjn26yjx3732cixh9ws"))
     ("tar" ,(base32 "1j51gv08sfg277yxj73xd564wjq3f8xwd6s9rbcg8v9gms47m4cx"))
     ("xz" ,(base32 "1d779rwsrasphg5g3r37qppcqy3p7ay1jb1y83w7x4i3qsc7zjy2")))
    ("armhf-linux"
     ("bash" ,(base32 "0s6f1s26g4dsrrkl39zblvwpxmbzi6n9mgqf6vxsqz42gik6bgyn"))
     ("mkdir" ,(base32 "1r5rcp35niyxfkrdf00y2ba8ifrq9bi76cr63lwjf2l655j1i5p7"))
     ("tar" ,(base32 "0dksx5im3fv8ximz7368bsax9f26nn47ds74298flm5lnvpv9xly"))
     ("xz" ,(base32 "1cqqavghjfr0iwxqf61lrssv27wfigysgq2rs4rm1gkmn04yn1k3")))))

(define %bootstrap-executable-base-urls
  ;; This is where the bootstrap executables come from.
  '("https://git.savannah.gnu.org/cgit/guix.git/plain/gnu/packages/bootstrap/"
    "https://alpha.gnu.org/gnu/guix/bootstrap/"
    "http://flashner.co.il/guix/bootstrap/"
    "http://lilypond.org/janneke/guix/"))

(define (bootstrap-executable-file-name system program)
  "Return the FILE-NAME part of the URL where PROGRAM can be found for SYSTEM."
  (match system
    ("i586-gnu" (string-append system "/20200326/" program))
    (_ (string-append system "/" program
                      "?id=44f07d1dc6806e97c4e9ee3e6be883cc59dc666e"))))

(define %bootstrap-executable-cache
  ;; (PROGRAM . SYSTEM) -> origin, so that each is one object (and one
  ;; lowering) per session, as Guix's 'mlambda' makes it.
  (make-hash-table))

(define (bootstrap-executable program system)
  "Return an origin for PROGRAM, a statically-linked bootstrap executable
built for SYSTEM."
  (let* ((system (if (string=? system "x86_64-linux") "i686-linux" system))
         (key (cons program system)))
    (or (hash-ref %bootstrap-executable-cache key)
        (let* ((hashes (assoc-ref %bootstrap-executables system))
               (bv (and hashes (assoc-ref hashes program))))
          (unless bv
            (error (format #f "could not find bootstrap binary '~a' for system '~a'"
                           program system)))
          (let ((o (origin
                     (method url-fetch/executable)
                     (uri (map (lambda (base)
                                 (string-append
                                  base (bootstrap-executable-file-name system program)))
                               %bootstrap-executable-base-urls))
                     (file-name program)
                     (hash (content-hash (car bv) sha256)))))
            (hash-set! %bootstrap-executable-cache key o)
            o)))))

(define* (glibc-dynamic-linker
          #:optional (system (or (and=> (%current-target-system)
                                        gnu-triplet->nix-system)
                                 (%current-system))))
  "Return the name of Glibc's dynamic linker for SYSTEM."
  (cond ((string=? system "x86_64-linux") "/lib/ld-linux-x86-64.so.2")
        ((string=? system "i686-linux") "/lib/ld-linux.so.2")
        ((string=? system "armhf-linux") "/lib/ld-linux-armhf.so.3")
        ((string=? system "i586-gnu") "/lib/ld.so.1")
        ((string=? system "i686-gnu") "/lib/ld.so.1")
        ((string=? system "x86_64-gnu") "/lib/ld-x86-64.so.1")
        ((string=? system "aarch64-linux") "/lib/ld-linux-aarch64.so.1")
        (else (error "dynamic linker name not known for this system" system))))


;;;
;;; Bootstrap packages.
;;;

(define %bootstrap-base-urls
  ;; This is where the initial binaries come from.
  '("https://ftp.gnu.org/gnu/guix/bootstrap"
    "https://alpha.gnu.org/gnu/guix/bootstrap"
    "http://ftp.gnu.org/gnu/guix/bootstrap"
    "http://alpha.gnu.org/gnu/guix/bootstrap"
    "ftp://alpha.gnu.org/gnu/guix/bootstrap"
    "http://www.fdn.fr/~lcourtes/software/guix/packages"
    "http://flashner.co.il/guix/bootstrap"
    "http://lilypond.org/janneke/guix/"))

(define (bootstrap-guile-url-path system)
  (string-append "/" system
                 (match system
                   ("aarch64-linux" "/20170217/guile-2.0.14.tar.xz")
                   ("armhf-linux" "/20150101/guile-2.0.11.tar.xz")
                   ("i586-gnu"
                    "/20200326/guile-static-stripped-2.0.14-i586-pc-gnu.tar.xz")
                   (_ "/20131110/guile-2.0.9.tar.xz"))))

(define (bootstrap-guile-hash system)
  "Return the SHA256 hash of the Guile bootstrap tarball for SYSTEM."
  (match system
    ("x86_64-linux" (base32 "1w2p5zyrglzzniqgvyn1b55vprfzhgk8vzbzkkbdgl5248si0yq3"))
    ("i686-linux" (base32 "0im800m30abgh7msh331pcbjvb4n02smz5cfzf1srv0kpx3csmxp"))
    ("armhf-linux" (base32 "1mi3brl7l58aww34rawhvja84xc7l1b4hmwdmc36fp9q9mfx0lg5"))
    ("aarch64-linux" (base32 "1giy2aprjmn5fp9c4s9r125fljw4wv6ixy5739i5bffw4jgr0f9r"))
    ("i586-gnu" (base32 "0wgqpsmvg25rnqn49ap7kwd2qxccd8dr4lllzp7i3rjvgav27vac"))))

(define (download-bootstrap-guile system)
  "Return a derivation that downloads the bootstrap Guile tarball for SYSTEM."
  (let ((urls (map (lambda (base) (string-append base (bootstrap-guile-url-path system)))
                   %bootstrap-base-urls)))
    (url-fetch urls 'sha256 (bootstrap-guile-hash system) #:system system)))

(define* (raw-build name inputs
                    #:key outputs system search-paths
                    #:allow-other-keys)
  ;; Unpack the bootstrap Guile with the bootstrap Bash, and have it write
  ;; its own wrapper setting its load path.
  (define (->store file)
    (lower-object (bootstrap-executable file system) system))

  (define (make-guile-wrapper bash guile-real)
    '(begin
       (use-modules (ice-9 match))
       (match (command-line)
         ((_ out bash)
          (let ((bin-dir    (string-append out "/bin"))
                (guile      (string-append out "/bin/guile"))
                (guile-real (string-append out "/bin/.guile-real"))
                ;; We must avoid using a bare dollar sign in this code,
                ;; because it would be interpreted by the shell.
                (dollar     (string (integer->char 36))))
            (chmod bin-dir #o755)
            (rename-file guile guile-real)
            (call-with-output-file guile
              (lambda (p)
                (format p "\
#!~a
export GUILE_SYSTEM_PATH=~a/share/guile/2.0
export GUILE_SYSTEM_COMPILED_PATH=~a/lib/guile/2.0/ccache
exec -a \"~a0\" ~a \"~a@\"\n"
                        bash out out dollar guile-real dollar)))
            (chmod guile   #o555)
            (chmod bin-dir #o555))))))

  (mlet* %store-monad ((tar   (->store "tar"))
                       (xz    (->store "xz"))
                       (mkdir (->store "mkdir"))
                       (bash  (->store "bash"))
                       (guile (download-bootstrap-guile system))
                       (wrapper -> (make-guile-wrapper bash guile))
                       (builder
                        (text-file "build-bootstrap-guile.sh"
                                   (format #f "
echo \"unpacking bootstrap Guile to '$out'...\"
~a $out
cd $out
~a -dc < $GUILE_TARBALL | ~a xv

# Use the bootstrap guile to create its own wrapper to set the load path.
GUILE_SYSTEM_PATH=$out/share/guile/2.0 \\
GUILE_SYSTEM_COMPILED_PATH=$out/lib/guile/2.0/ccache \\
$out/bin/guile -c ~s $out ~a

# Sanity check.
$out/bin/guile --version~%"
                                           (derivation->output-path mkdir)
                                           (derivation->output-path xz)
                                           (derivation->output-path tar)
                                           (object->string wrapper)
                                           (derivation->output-path bash)))))
    (raw-derivation name
                    (derivation->output-path bash) `(,builder)
                    #:system system
                    #:inputs (map derivation-input
                                  (list bash mkdir tar xz guile))
                    #:sources (list builder)
                    #:env-vars `(("GUILE_TARBALL"
                                  . ,(derivation->output-path guile))))))

(define* (make-raw-bag name
                       #:key source inputs native-inputs outputs
                       system target
                       #:allow-other-keys)
  (bag
    (name name)
    (system system)
    (build-inputs inputs)
    (build raw-build)))

(define %bootstrap-guile
  ;; The Guile used to run the build scripts of the initial derivations: a
  ;; pre-built binary unpacked from a tarball.
  (let ((raw (build-system
               (name 'raw)
               (description "Raw build system with direct store access")
               (lower make-raw-bag))))
    (package
      (name "guile-bootstrap")
      (version "2.0")
      (source #f)
      (build-system raw)
      (synopsis "Bootstrap Guile")
      (description "Pre-built Guile for bootstrapping purposes.")
      (home-page #f)
      (license lgpl3+))))

(define* (package-from-tarball name source program-to-test description
                               #:key snippet)
  "Return a package that corresponds to the extraction of SOURCE, a
procedure of the system returning an origin."
  (package
    (name name)
    (version "0")
    (build-system trivial-build-system)
    (arguments
     `(#:guile ,%bootstrap-guile
       #:modules ((guix build utils))
       #:builder
       (begin
         (use-modules (guix build utils))

         (let ((out     (assoc-ref %outputs "out"))
               (tar     (assoc-ref %build-inputs "tar"))
               (xz      (assoc-ref %build-inputs "xz"))
               (tarball (assoc-ref %build-inputs "tarball")))

           (mkdir out)
           (copy-file tarball "binaries.tar.xz")
           (invoke xz "-d" "binaries.tar.xz")
           (let ((builddir (getcwd)))
             (with-directory-excursion out
               (invoke tar "xvf"
                       (string-append builddir "/binaries.tar"))
               ,@(if snippet (list snippet) '())
               (or (not ,program-to-test)
                   (invoke (string-append "bin/" ,program-to-test)
                           "--version"))))))))
    (inputs
     `(("tar" ,(bootstrap-executable "tar" (%current-system)))
       ("xz"  ,(bootstrap-executable "xz" (%current-system)))
       ("tarball" ,(source (%current-system)))))
    (source #f)
    (synopsis description)
    (description description)
    (home-page #f)
    (license gpl3+)))

(define %tarball-cache
  ;; (NAME . SYSTEM) -> origin: one object per tarball and system.
  (make-hash-table))

(define (bootstrap-tarball name file-for-system hash-for-system)
  ;; A procedure of the system returning the origin of a bootstrap tarball.
  (lambda (system)
    (let ((key (cons name system)))
      (or (hash-ref %tarball-cache key)
          (let ((o (origin
                     (method url-fetch)
                     (uri (map (lambda (base)
                                 (string-append base "/" system
                                                (file-for-system system)))
                               %bootstrap-base-urls))
                     (sha256 (hash-for-system system)))))
            (hash-set! %tarball-cache key o)
            o)))))

(define %bootstrap-coreutils&co
  (package-from-tarball "bootstrap-binaries"
                        (bootstrap-tarball
                         "bootstrap-binaries"
                         (lambda (system)
                           (match system
                             ("armhf-linux" "/20150101/static-binaries.tar.xz")
                             ("aarch64-linux" "/20170217/static-binaries.tar.xz")
                             ("i586-gnu" "/20200326/static-binaries-0-i586-pc-gnu.tar.xz")
                             (_ "/20131110/static-binaries.tar.xz")))
                         (lambda (system)
                           (match system
                             ("x86_64-linux"
                              (base32 "0c533p9dhczzcsa1117gmfq3pc8w362g4mx84ik36srpr7cx2bg4"))
                             ("i686-linux"
                              (base32 "0s5b3jb315n13m1k8095l0a5hfrsz8g0fv1b6riyc5hnxqyphlak"))
                             ("armhf-linux"
                              (base32 "0gf0fn2kbpxkjixkmx5f4z6hv6qpmgixl69zgg74dbsfdfj8jdv5"))
                             ("aarch64-linux"
                              (base32 "18dfiq6c6xhsdpbidigw6480wh0vdgsxqq3xindq4lpdgqlccpfh"))
                             ("i586-gnu"
                              (base32 "17kllqnf3fg79gzy9ansgi801c46yh9c23h4d923plvb0nfm1cfn")))))
                        "fgrep"                   ;the program to test
                        "Bootstrap binaries of Coreutils, Awk, etc."
                        #:snippet
                        '(let ((path (list (string-append (getcwd) "/bin"))))
                           (chmod "bin" #o755)
                           (patch-shebang "bin/egrep" path)
                           (patch-shebang "bin/fgrep" path)
                           (chmod "bin" #o555))))

(define %bootstrap-binutils
  (package-from-tarball "binutils-bootstrap"
                        (bootstrap-tarball
                         "binutils-bootstrap"
                         (lambda (system)
                           (match system
                             ("armhf-linux" "/20150101/binutils-2.25.tar.xz")
                             ("aarch64-linux" "/20170217/binutils-2.27.tar.xz")
                             ("i586-gnu"
                              "/20200326/binutils-static-stripped-2.34-i586-pc-gnu.tar.xz")
                             (_ "/20131110/binutils-2.23.2.tar.xz")))
                         (lambda (system)
                           (match system
                             ("x86_64-linux"
                              (base32 "1j5yivz7zkjqfsfmxzrrrffwyayjqyfxgpi89df0w4qziqs2dg20"))
                             ("i686-linux"
                              (base32 "14jgwf9gscd7l2pnz610b1zia06dvcm2qyzvni31b8zpgmcai2v9"))
                             ("armhf-linux"
                              (base32 "1v7dj6bzn6m36f20gw31l99xaabq4xrhrx3gwqkhhig0mdlmr69q"))
                             ("aarch64-linux"
                              (base32 "111s7ilfiby033rczc71797xrmaa3qlv179wdvsaq132pd51xv3n"))
                             ("i586-gnu"
                              (base32 "11kykv1kmqc5wln57rs4klaqa13hm952smkc57qcsyss21kfjprs")))))
                        "ld"                      ;the program to test
                        "Bootstrap binaries of the GNU Binutils"))

(define %bootstrap-glibc-tarball
  (bootstrap-tarball
   "glibc-bootstrap"
   (lambda (system)
     (match system
       ("armhf-linux" "/20150101/glibc-2.20.tar.xz")
       ("aarch64-linux" "/20170217/glibc-2.25.tar.xz")
       ("i586-gnu" "/20200326/glibc-stripped-2.31-i586-pc-gnu.tar.xz")
       (_ "/20131110/glibc-2.18.tar.xz")))
   (lambda (system)
     (match system
       ("x86_64-linux" (base32 "0jlqrgavvnplj1b083s20jj9iddr4lzfvwybw5xrcis9spbfzk7v"))
       ("i686-linux" (base32 "1hgrccw1zqdc7lvgivwa54d9l3zsim5pqm0dykxg0z522h6gr05w"))
       ("armhf-linux" (base32 "18cmgvpllqfpn6khsmivqib7ys8ymnq0hdzi3qp24prik0ykz8gn"))
       ("aarch64-linux" (base32 "07nx3x8598i2924rjnlrncg6rm61c9bmcczbbcpbx0fb742nvv5c"))
       ("i586-gnu" (base32 "14ddm10lpbas8bankmn5bcrlqvz1v5dnn1qjzxb19r57vd2w5952"))))))

(define %bootstrap-glibc
  ;; The initial libc.
  (package
    (name "glibc-bootstrap")
    (version "0")
    (source #f)
    (build-system trivial-build-system)
    (arguments
     `(#:guile ,%bootstrap-guile
       #:modules ((guix build utils))
       #:builder
       (begin
         (use-modules (guix build utils))

         (let ((out     (assoc-ref %outputs "out"))
               (tar     (assoc-ref %build-inputs "tar"))
               (xz      (assoc-ref %build-inputs "xz"))
               (tarball (assoc-ref %build-inputs "tarball")))

           (mkdir out)
           (copy-file tarball "binaries.tar.xz")
           (invoke xz "-d" "binaries.tar.xz")
           (let ((builddir (getcwd)))
             (with-directory-excursion out
               (invoke tar "xvf"
                       (string-append builddir
                                      "/binaries.tar"))
               (chmod "lib" #o755)

               ;; Patch libc.so so it refers to the right path.
               (substitute* "lib/libc.so"
                 (("/[^ ]+/lib/(libc|ld)" _ prefix)
                  (string-append out "/lib/" prefix)))

               #t))))))
    (inputs
     `(("tar" ,(bootstrap-executable "tar" (%current-system)))
       ("xz"  ,(bootstrap-executable "xz" (%current-system)))
       ("tarball" ,(%bootstrap-glibc-tarball (%current-system)))))
    (synopsis "Bootstrap binaries and headers of the GNU C Library")
    (description synopsis)
    (home-page #f)
    (license lgpl2.1+)))

(define %bootstrap-gcc-tarball
  (bootstrap-tarball
   "gcc-bootstrap"
   (lambda (system)
     (match system
       ("armhf-linux" "/20150101/gcc-4.8.4.tar.xz")
       ("aarch64-linux" "/20170217/gcc-5.4.0.tar.xz")
       ("i586-gnu" "/20200326/gcc-stripped-5.5.0-i586-pc-gnu.tar.xz")
       (_ "/20131110/gcc-4.8.2.tar.xz")))
   (lambda (system)
     (match system
       ("x86_64-linux" (base32 "17ga4m6195n4fnbzdkmik834znkhs53nkypp6557pl1ps7dgqbls"))
       ("i686-linux" (base32 "150c1arrf2k8vfy6dpxh59vcgs4p1bgiz2av5m19dynpks7rjnyw"))
       ("armhf-linux" (base32 "0ghz825yzp43fxw53kd6afm8nkz16f7dxi9xi40bfwc8x3nbbr8v"))
       ("aarch64-linux" (base32 "1ar3vdzyqbfm0z36kmvazvfswxhcihlacl2dzdjgiq25cqnq9ih1"))
       ("i586-gnu" (base32 "1j2zc58wzil71a34h7c70sd68dmqvcscrw3rmn2whq79vd70zvv5"))))))

(define %bootstrap-gcc
  ;; The initial GCC, wrapped to find the bootstrap libc.
  (package
    (name "gcc-bootstrap")
    (version "0")
    (source #f)
    (build-system trivial-build-system)
    (arguments
     `(#:guile ,%bootstrap-guile
       #:modules ((guix build utils))
       #:builder
       (begin
         (use-modules (guix build utils)
                      (ice-9 popen))

         (let ((out     (assoc-ref %outputs "out"))
               (tar     (assoc-ref %build-inputs "tar"))
               (xz      (assoc-ref %build-inputs "xz"))
               (bash    (assoc-ref %build-inputs "bash"))
               (libc    (assoc-ref %build-inputs "libc"))
               (tarball (assoc-ref %build-inputs "tarball")))

           (mkdir out)
           (copy-file tarball "binaries.tar.xz")
           (invoke xz "-d" "binaries.tar.xz")
           (let ((builddir (getcwd))
                 (bindir   (string-append out "/bin")))
             (with-directory-excursion out
               (invoke tar "xvf"
                       (string-append builddir "/binaries.tar")))

             (with-directory-excursion bindir
               (chmod "." #o755)
               (rename-file "gcc" ".gcc-wrapped")
               (call-with-output-file "gcc"
                 (lambda (p)
                   (format p "#!~a
exec ~a/bin/.gcc-wrapped -B~a/lib \
     -Wl,-rpath -Wl,~a/lib \
     -Wl,-dynamic-linker -Wl,~a/~a \"$@\"~%"
                           bash
                           out libc libc libc
                           ,(glibc-dynamic-linker))))

               (chmod "gcc" #o555)
               #t))))))
    (inputs
     `(("tar" ,(bootstrap-executable "tar" (%current-system)))
       ("xz"  ,(bootstrap-executable "xz" (%current-system)))
       ("bash" ,(bootstrap-executable "bash" (%current-system)))
       ("libc" ,%bootstrap-glibc)
       ("tarball" ,(%bootstrap-gcc-tarball (%current-system)))))
    (synopsis "Bootstrap binaries of the GNU Compiler Collection")
    (description synopsis)
    (home-page #f)
    (license gpl3+)))

(define %bootstrap-inputs-for-tests
  ;; The seeds that need no compilation.
  `(("libc" ,%bootstrap-glibc)
    ("gcc" ,%bootstrap-gcc)
    ("binutils" ,%bootstrap-binutils)
    ("coreutils&co" ,%bootstrap-coreutils&co)
    ;; The GNU build system relies on Bash being there.
    ("bash" ,%bootstrap-coreutils&co)))

(define (%bootstrap-inputs)
  "The implicit inputs of packages built in the bootstrap stage."
  %bootstrap-inputs-for-tests)
