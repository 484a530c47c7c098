;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages gcc): the GNU Compiler Collection.  'gcc' is GCC 11 on
;;; GNU/Linux and GCC 14 on 64-bit GNU/Hurd, as in GNU Guix (gcc.scm of
;;; 2025).  Names, versions, source URLs and hashes are Guix's; Guix's GCC
;;; packages inherit from one another down to GCC 4.7, and schemos keeps the
;;; fields that matter to a system description instead of that chain (see
;;; docs/packages.md).

(define-module (gnu packages gcc)
  #:use-module ((guix licenses) #:select (gpl3+))
  #:use-module (gnu packages)
  #:use-module (gnu packages compression)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix utils)
  #:use-module (guix build-system gnu))

(define-public gcc-11
  (package
    (name "gcc")
    (version "11.4.0")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/gcc/gcc-"
                                  version "/gcc-" version ".tar.xz"))
              (sha256
               (base32
                "1ncd7akww0hl5kkmw1dj3qgqp3phdrr5dfnm7jia9s07n0ib4b9z"))
              (patches (search-patches "gcc-9-strmov-store-file-names.patch"
                                       "gcc-5.0-libvtv-runpath.patch"
                                       "gcc-10-libsanitizer-no-crypt.patch"
                                       "gcc-11-libstdc++-hurd-libpthread.patch"))))
    (build-system gnu-build-system)
    ;; Separate out the run-time support libraries because all the
    ;; dynamic-linked objects depend on it.
    (outputs '("out"                    ;commands
               "lib"                    ;libgcc_s, libgomp, etc. (15+ MiB)
               "debug"))                ;debug symbols of run-time libraries
    (arguments
     ;; Guix's configure flags and phases (inherited from its GCC 4.7
     ;; package) point GCC at the store's C library and dynamic linker.
     '(#:out-of-source? #t))
    ;; Guix also has gmp, mpfr, mpc and isl, and native texinfo and perl.
    (inputs (list zlib))
    (home-page "https://gcc.gnu.org/")
    (synopsis "GNU Compiler Collection")
    (description
     "GCC is the GNU Compiler Collection.  It provides compiler front-ends
for several languages, including C, C++, Objective-C, Fortran, Ada, and Go.
It also includes runtime support libraries for these languages.")
    ;; GCC is GPLv3+, with the GCC Runtime Library Exception for libgcc.
    (license gpl3+)))

(define-public gcc-14
  (package
    (inherit gcc-11)
    (version "14.2.0")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/gcc/gcc-"
                                  version "/gcc-" version ".tar.xz"))
              (sha256
               (base32
                "1j9wdznsp772q15w1kl5ip0gf0bh8wkanq2sdj12b7mzkk39pcx7"))
              (patches (search-patches "gcc-12-strmov-store-file-names.patch"
                                       "gcc-5.0-libvtv-runpath.patch"))))))

;; Note: When changing the default gcc version, update
;;       the gcc-toolchain-* definitions.
(define-public gcc
  (if (target-hurd? (%current-system))
      ;; Guix: (host-hurd64?), true on x86_64-gnu only.
      (if (string-prefix? "x86_64" (%current-system)) gcc-14 gcc-11)
      gcc-11))
