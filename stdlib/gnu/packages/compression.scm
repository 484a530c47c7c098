;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages compression): compressors, including Zstandard (which
;;; %base-packages installs).  Versions and source hashes
;;; are those of GNU Guix.

(define-module (gnu packages compression)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix build-system gnu))

(define-public zlib
  (package
    (name "zlib")
    (version "1.3")
    (source
     (origin
       (method url-fetch)
       (uri (list (string-append "http://zlib.net/zlib-"
                                 version ".tar.gz")
                  (string-append "mirror://sourceforge/libpng/zlib/"
                                 version "/zlib-" version ".tar.gz")))
       (sha256
        (base32
         "0gjrz8p70mgkic7mxjh1vqwws4x8z7hq2fhbackvqg81jb1a82zz"))))
    (build-system gnu-build-system)
    (outputs '("out" "static"))
    (home-page "https://zlib.net/")
    (synopsis "Compression library")
    (description
     "zlib is a general-purpose, patent-free, lossless data-compression
library.")
    (license license:zlib)))

(define-public gzip
  (package
    (name "gzip")
    (version "1.13")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/gzip/gzip-"
                                  version ".tar.xz"))
              (sha256
               (base32
                "0mx0j7765l4cyj3hyvlks2s3izdyzaqf3hknamjwc5yv6mlynm3l"))))
    (build-system gnu-build-system)
    (arguments
     '(#:tests? #f
       #:configure-flags '("ac_cv_prog_LESS=\"less\"")))
    (synopsis "General file (de)compression (using lzw)")
    (description
     "GNU Gzip provides data compression and decompression utilities; the
typical extension is \".gz\".")
    (license license:gpl3+)
    (home-page "https://www.gnu.org/software/gzip/")))

(define-public bzip2
  (package
    (name "bzip2")
    (version "1.0.8")
    (source (origin
              (method url-fetch)
              (uri (string-append "https://sourceware.org/pub/bzip2/bzip2-"
                                  version ".tar.gz"))
              (sha256
               (base32
                "0s92986cv0p692icqlw1j42y9nld8zd83qwhzbqd61p1dqbh6nmb"))))
    (build-system gnu-build-system)
    (outputs '("out" "static"))
    (synopsis "High-quality data compression program")
    (description
     "bzip2 is a freely available, patent free, high-quality data
compressor.")
    (license (license:non-copyleft "file://LICENSE"
                                   "See LICENSE in the distribution."))
    (home-page "https://web.archive.org/web/20180801004107/http://www.bzip.org/")))

(define-public lzip
  (package
    (name "lzip")
    (version "1.22")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://savannah/lzip/lzip-"
                                  version ".tar.gz"))
              (sha256
               (base32
                "0j59hx72258334rmkwn57ahr6s69nlrx0a5ip1jw2fbiwr12sd63"))))
    (build-system gnu-build-system)
    (home-page "https://www.nongnu.org/lzip/lzip.html")
    (synopsis "Lossless data compressor based on the LZMA algorithm")
    (description
     "Lzip is a lossless data compressor with a user interface similar to
the one of gzip or bzip2.")
    (license license:gpl2+)))

;; schemos: the upstream 5.6.3 release tarball (its SHA-256 as published);
;; see the report for why this version.
(define-public xz
  (package
    (name "xz")
    (version "5.6.3")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "https://github.com/tukaani-project/xz/releases/download/v"
                    version "/xz-" version ".tar.gz"))
              (sha256
               (base32
                "05rkqwbiwdd0imrvqfzgpd467dbcs74df6qhr6j2a7zpsfam5m5i"))))
    (build-system gnu-build-system)
    (outputs '("out" "static"))
    (home-page "https://tukaani.org/xz/")
    (synopsis "General-purpose data compressor")
    (description
     "XZ Utils is free general-purpose data compression software with high
compression ratio.")
    (license (list license:gpl2+ license:lgpl2.1+))))

(define-public zstd
  (package
    (name "zstd")
    (version "1.5.2")
    (source
     (origin
       (method url-fetch)
       (uri (string-append "https://github.com/facebook/zstd/releases/download/"
                           "v" version "/zstd-" version ".tar.gz"))
       (sha256
        (base32 "1l1zm1imcc2ixayykyh4y421shdj3pzp7g2xm2k2js8jmipxahkw"))))
    (build-system gnu-build-system)
    (outputs '("out"                    ;1.5MiB executables and documentation
               "lib"                    ;1.2MiB shared library and headers
               "static"))               ;1.2MiB static library
    (arguments
     ;; Skip auto-detection of the build environment's xz, lz4 and zlib, as
     ;; Guix does.
     '(#:make-flags (list "PCLIBDIR=lib" "PCINCDIR=include"
                          "HAVE_LZMA=0" "HAVE_LZ4=0" "HAVE_ZLIB=0")))
    (home-page "https://facebook.github.io/zstd/")
    (synopsis "Zstandard real-time compression algorithm")
    (description "Zstandard (@command{zstd}) is a lossless compression algorithm
that combines very fast operation with a compression ratio comparable to that of
zlib.")
    (license (list license:bsd-3 license:bsd-2 license:gpl2 license:gpl3+
                   license:expat license:public-domain license:zlib))))
