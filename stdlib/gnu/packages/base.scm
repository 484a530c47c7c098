;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages base): the core GNU user land, as in GNU Guix 1.5: GNU
;;; Hello, grep, sed, tar, patch, diffutils, findutils, coreutils, make,
;;; binutils, the C library and its locales, which, tzdata.  Names,
;;; versions, source URLs and hashes are Guix's; inputs outside the part of
;;; the package graph schemos models are left out (see docs/packages.md).

(define-module (gnu packages base)
  #:use-module ((guix licenses)
                #:select (gpl3+ lgpl2.0+ public-domain))
  #:use-module (gnu packages)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages guile)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix build-system gnu)
  #:use-module (guix build-system trivial)
  #:use-module (guix gexp)
  #:use-module ((guix utils) #:select (version-major+minor))
  #:export (glibc
            libc-utf8-locales-for-target
            canonical-package))

(define-public hello
  (package
    (name "hello")
    (version "2.12.2")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/hello/hello-" version
                                  ".tar.gz"))
              (sha256
               (base32
                "1aqq1379syjckf0wdn9vs6wfbapnj9zfikhiykf29k4jq9nrk6js"))))
    (build-system gnu-build-system)
    (synopsis "Example GNU package")
    (description
     "GNU Hello prints the message \"Hello, world!\" and then exits.  It
serves as an example of standard GNU coding practices.  As such, it supports
command-line arguments, multiple languages, and so on.")
    (home-page "https://www.gnu.org/software/hello/")
    (license gpl3+)))

(define-public grep
  (package
    (name "grep")
    (version "3.11")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/grep/grep-"
                                  version ".tar.xz"))
              (sha256
               (base32
                "1avf4x8skxbqrjp5j2qr9sp5vlf8jkw2i5bdn51fl3cxx3fsxchx"))
              (patches (search-patches "grep-timing-sensitive-test.patch"))))
    (build-system gnu-build-system)
    ;; Guix: (native-inputs (list perl)) (inputs (list pcre2)).
    (synopsis "Print lines matching a pattern")
    (description
     "grep is a tool for finding text inside files.")
    (license gpl3+)
    (home-page "https://www.gnu.org/software/grep/")))

(define-public sed
  (package
    (name "sed")
    (version "4.9")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/sed/sed-" version
                                  ".tar.gz"))
              (sha256
               (base32
                "0bi808vfkg3szmpy9g5wc7jnn2yk6djiz412d30km9rky0c8liyi"))))
    (build-system gnu-build-system)
    (synopsis "Stream editor")
    (description
     "Sed is a non-interactive, text stream editor.")
    (license gpl3+)
    (home-page "https://www.gnu.org/software/sed/")))

(define-public tar
  (package
    (name "tar")
    (version "1.35")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/tar/tar-"
                                  version ".tar.xz"))
              (sha256
               (base32
                "05nw7q7sazkana11hnf3f77lmybw1j9j6lsk93bsxirf6hvzyqjd"))
              (patches (search-patches "tar-skip-unreliable-tests.patch"
                                       "tar-remove-wholesparse-check.patch"))))
    (build-system gnu-build-system)
    (synopsis "Managing tar archives")
    (description
     "Tar provides the ability to create tar archives, as well as the
ability to extract, update or list files in an existing archive.")
    (license gpl3+)
    (home-page "https://www.gnu.org/software/tar/")))

(define-public patch/pinned
  (hidden-package
   (package
     (name "patch")
     (version "2.7.6")
     (source (origin
               (method url-fetch)
               (uri (string-append "mirror://gnu/patch/patch-"
                                   version ".tar.xz"))
               (sha256
                (base32
                 "1zfqy4rdcy279vwn2z1kbv19dcfw25d2aqy9nzvdkq5bjzd0nqdc"))
               (patches (search-patches "patch-hurd-path-max.patch"))))
     (build-system gnu-build-system)
     (synopsis "Apply differences to originals, with optional backups")
     (description
      "Patch is a program that applies changes to files based on differences
laid out as by the program \"diff\".")
     (license gpl3+)
     (home-page "https://savannah.gnu.org/projects/patch/"))))

(define-public patch
  (package
    (inherit patch/pinned)
    (name "patch")
    (version "2.8")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/patch/patch-"
                                  version ".tar.xz"))
              (sha256
               (base32
                "1qssgwgy3mfahkpgg99a35gl38vamlqb15m3c2zzrd62xrlywz7q"))))
    (properties '())))

(define-public diffutils
  (package
    (name "diffutils")
    (version "3.12")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/diffutils/diffutils-"
                                  version ".tar.xz"))
              (sha256
               (base32
                "1zbxf8vv7z18ypddwqgzj51n426k959fiv4wxbyl34b0r2gpz2vw"))))
    (build-system gnu-build-system)
    (synopsis "Comparing and merging files")
    (description
     "GNU Diffutils is a package containing tools for finding the
differences between files.")
    (license gpl3+)
    (home-page "https://www.gnu.org/software/diffutils/")))

(define-public findutils
  (package
    (name "findutils")
    (version "4.10.0")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/findutils/findutils-"
                                  version ".tar.xz"))
              (sha256
               (base32
                "1xd4y24qfsdfp3ndz7d5j49lkhbhpzgr13wrvsmx4izjgyvf11qk"))
              (patches (search-patches "findutils-localstatedir.patch"))))
    (build-system gnu-build-system)
    (arguments
     '(#:configure-flags (list "--localstatedir=/var")))
    (synopsis "Operating on files matching given criteria")
    (description
     "Findutils supplies the basic file directory searching utilities of the
GNU system.")
    (license gpl3+)
    (home-page "https://www.gnu.org/software/findutils/")))

(define-public coreutils
  (package
    (name "coreutils")
    (version "9.1")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/coreutils/coreutils-"
                                  version ".tar.xz"))
              (sha256
               (base32
                "08q4b0w7mwfxbqjs712l6wrwl2ijs7k50kssgbryg9wbsw8g98b1"))))
    (build-system gnu-build-system)
    ;; Guix: inputs acl, attr, gmp and libcap; native input perl.
    (outputs '("out" "debug"))
    (arguments '(#:parallel-build? #f))
    (synopsis "Core GNU utilities (file, text, shell)")
    (description
     "GNU Coreutils package includes all of the basic command-line tools that
are expected in a POSIX system, excluding shell.")
    (license gpl3+)
    (home-page "https://www.gnu.org/software/coreutils/")))

(define-public coreutils-minimal
  ;; Coreutils without its optional dependencies.
  (package
    (inherit coreutils)
    (name "coreutils-minimal")
    (outputs '("out"))
    (native-inputs '())
    (inputs '())))

(define-public gnu-make
  (package
    (name "make")
    (version "4.4.1")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/make/make-" version
                                  ".tar.gz"))
              (sha256
               (base32
                "1cwgcmwdn7gqn5da2ia91gkyiqs9birr10sy5ykpkaxzcwfzn5nx"))
              (patches (search-patches "make-impure-dirs.patch"))))
    (build-system gnu-build-system)
    (inputs (list guile-3.0))                     ;Guix: + native pkg-config
    (outputs '("out" "debug"))
    (synopsis "Remake files automatically")
    (description
     "Make is a program that is used to control the production of
executables or other files from their source files.")
    (license gpl3+)
    (home-page "https://www.gnu.org/software/make/")))

(define-public binutils
  (package
    (name "binutils")
    (version "2.44")
    (source
     (origin
       (method url-fetch)
       (uri (string-append "mirror://gnu/binutils/binutils-"
                           version ".tar.bz2"))
       (sha256
        (base32 "0fnwaasfglbphqzvz5n25js9gl695p7pjbmb1z81g8gsc6k90qzn"))
       (patches (search-patches
                 "binutils-2.41-fix-cross.patch"
                 "binutils-loongson-workaround.patch"))))
    (build-system gnu-build-system)
    (arguments '(#:out-of-source? #t))
    (synopsis "Binary utilities: bfd gas gprof ld")
    (description
     "GNU Binutils is a collection of tools for working with binary files.")
    (license gpl3+)
    (home-page "https://www.gnu.org/software/binutils/")))

(define %glibc-patches
  (list "glibc-ldd-powerpc.patch"
        "glibc-2.41-ldd-x86_64.patch"
        "glibc-2.40-dl-cache.patch"
        "glibc-2.37-versioned-locpath.patch"
        "glibc-reinstate-prlimit64-fallback.patch"
        "glibc-supported-locales.patch"
        "glibc-2.37-hurd-clock_t_centiseconds.patch"
        "glibc-2.41-hurd-local-clock_gettime_MONOTONIC.patch"
        "glibc-hurd-mach-print.patch"
        "glibc-hurd-gettyent.patch"
        "glibc-hurd-getauxval.patch"
        "glibc-hurd-pthread_setcancelstate.patch"
        "glibc-hurd-2.41-pthread-once.patch"
        "glibc-hurd-2.41-pthread-sigmask.patch"
        "glibc-hurd-2.41-symlink.patch"
        "glibc-hurd64-intr-msg-clobber.patch"
        "glibc-hurd64-gcc-14.2-tls-bug.patch"))

(define glibc
  ;; The GNU C Library, used on GNU/Linux and GNU/Hurd.
  (package
    (name "glibc")
    (version "2.41")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/glibc/glibc-" version
                                  ".tar.xz"))
              (sha256
               (base32
                "00g95047sshv0zxk9ja3mi7lzwi8wh8qx0nxngbvgmj5yli6p8m5"))
              (patches (map search-patch %glibc-patches))))
    (properties `((lint-hidden-cve . ("CVE-2024-2961"
                                      "CVE-2024-33601" "CVE-2024-33602"
                                      "CVE-2024-33600" "CVE-2024-33599"))))
    (build-system gnu-build-system)
    (outputs '("out" "debug" "static"))
    (arguments
     '(#:out-of-source? #t
       #:validate-runpath? #f
       #:strip-flags '("--strip-debug")
       #:tests? #f))
    ;; Guix: native inputs texinfo, perl, bison, gettext and python; the
    ;; Linux headers (or the Hurd's) are propagated.
    (inputs `(("static-bash" ,static-bash)))
    (synopsis "The GNU C Library")
    (description
     "Any Unix-like operating system needs a C library: the library which
defines the \"system calls\" and other basic facilities such as open, malloc,
printf, exit...")
    (license lgpl2.0+)
    (home-page "https://www.gnu.org/software/libc/")))

(define-public glibc/hurd glibc)

(define %default-utf8-locales
  ;; The locales commonly used for tests, e.g. in Guile's i18n tests.
  '("C" "de_DE" "el_GR" "en_US" "fr_FR" "tr_TR"))

(define* (make-glibc-utf8-locales glibc #:key
                                  (locales %default-utf8-locales)
                                  (name "glibc-utf8-locales"))
  (package
    (name name)
    (version (package-version glibc))
    (source #f)
    (build-system trivial-build-system)
    (arguments
     (list #:modules '((guix build utils))
           #:builder
           #~(begin
               (use-modules (guix build utils))
               ;; compile each locale with the glibc's localedef, as
               ;; "NAME.UTF-8" and its normalised alias "NAME.utf8"
               (let* ((bin (dirname (search-input-file %build-inputs
                                                       "/bin/localedef")))
                      (gzip (dirname (search-input-file %build-inputs
                                                        "/bin/gzip")))
                      (localedir (string-append
                                  #$output "/lib/locale/"
                                  #$(version-major+minor
                                     (package-version glibc)))))
                 (setenv "LOCPATH" (string-append bin "/../share/i18n/locales"))
                 (setenv "PATH" (string-append bin ":" gzip))
                 (mkdir-p localedir)
                 (for-each
                  (lambda (locale)
                    (invoke "localedef" "--no-archive" "--prefix" localedir
                            "-i" locale "-f" "UTF-8"
                            (string-append localedir "/" locale ".UTF-8"))
                    (symlink (string-append locale ".UTF-8")
                             (string-append localedir "/" locale ".utf8")))
                  '#$locales)))))
    (native-inputs (list glibc gzip))
    (synopsis (if (equal? locales %default-utf8-locales)
                  "Small sample of UTF-8 locales"
                  "Customized sample of UTF-8 locales"))
    (description
     "This package provides a small sample of UTF-8 locales mostly useful in
test environments.")
    (home-page (package-home-page glibc))
    (license (package-license glibc))))

(define-public glibc-utf8-locales
  (hidden-package
   (make-glibc-utf8-locales glibc)))

(define-public glibc-utf8-locales/hurd
  (hidden-package
   (make-glibc-utf8-locales glibc/hurd)))

(define* (libc-utf8-locales-for-target #:optional target)
  "Return the glibc UTF-8 locale package for TARGET."
  (if (and (string? target) (string-contains target "-gnu")
           (not (string-contains target "linux")))
      glibc-utf8-locales/hurd
      glibc-utf8-locales))

(define-public which
  (package
    (name "which")
    (version "2.21")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/which/which-"
                                  version ".tar.gz"))
              (sha256
               (base32
                "1bgafvy3ypbhhfznwjv1lxmd6mci3x1byilnnkc7gcr486wlb8pl"))))
    (build-system gnu-build-system)
    (home-page "https://gnu.org/software/which/")
    (synopsis "Find full path of shell commands")
    (description
     "The which program finds the location of executables in PATH, with a
variety of options.")
    (license gpl3+)))

(define-public tzdata
  (package
    (name "tzdata")
    (version "2025a")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "https://data.iana.org/time-zones/releases/tzdata"
                    version ".tar.gz"))
              (sha256
               (base32
                "1l7hnlgc4wgy2gmaj5zmswpzbyq23h7vsndnw2zhwibw5k3wnpsd"))))
    (build-system gnu-build-system)
    (arguments '(#:tests? #f #:target #f))
    (inputs (list (origin
                    (method url-fetch)
                    (uri (string-append
                          "https://data.iana.org/time-zones/releases/tzcode"
                          version ".tar.gz"))
                    (sha256
                     (base32
                      "0qahpwp1zlyvi7qrlm4r74pmj3c7sx3jlg9xw2siwj3nkzapk5hi")))))
    (home-page "https://www.iana.org/time-zones")
    (synopsis "Database of current and historical time zones")
    (description "The Time Zone Database (often called tz or zoneinfo)
contains code and data that represent the history of local time for many
representative locations around the globe.")
    (license public-domain)))

(define (canonical-package package)
  "Return the 'canonical' variant of PACKAGE (schemos has one variant)."
  package)
