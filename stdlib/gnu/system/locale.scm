;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system locale): locale definitions, and compilation thereof.
;;;
;;; The model of GNU Guix 1.5's module of the same name.
;;;
;;; Where schemos differs from Guix, and why:
;;;
;;; - Guix picks glibc/hurd for %default-locale-libcs when the *host* is a
;;;   Hurd system.  schemos always runs on a GNU/Linux host, where Guix picks
;;;   glibc; Hurd operating systems name glibc/hurd in their 'locale-libcs'
;;;   field, as %hurd-default-operating-system does.
;;; - The imported modules of the locale builder are listed by hand (what
;;;   Guix's 'source-module-closure' finds).

(define-module (gnu system locale)
  #:use-module (guix records)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (gnu packages base)
  #:use-module (gnu packages compression)
  #:export (locale-definition
            locale-definition?
            locale-definition-name
            locale-definition-source
            locale-definition-charset

            locale-name->definition
            locale-directory

            %default-locale-libcs
            %default-locale-definitions))

(define-record-type* <locale-definition> locale-definition
  make-locale-definition
  locale-definition?
  (name    locale-definition-name)                ;string--e.g., "fr_FR.utf8"
  (source  locale-definition-source)              ;string--e.g., "fr_FR"
  (charset locale-definition-charset              ;string--e.g., "UTF-8"
           (default "UTF-8")))

(define (denormalize-codeset codeset)
  "Guess the \"real\" name of CODESET, a normalized codeset as defined in
(info \"(libc) Using gettextized software\")."
  (cond ((string=? codeset "utf8")
         "UTF-8")
        ((string-prefix? "iso8859" codeset)
         (string-append "ISO-8859-" (string-drop codeset 7)))
        ((string=? codeset "eucjp")
         "EUC-JP")
        (else                                ;cross fingers, hope for the best
         codeset)))

(define (locale-name->definition name)
  "Return a <locale-definition> corresponding to NAME, guessing the charset,
or #f on failure."
  (let ((parts (filter (lambda (s) (not (string-null? s)))
                       (string-split name #\.))))
    (if (= 2 (length parts))
        (locale-definition (name name)
                           (source (car parts))
                           (charset (denormalize-codeset (cadr parts))))
        #f)))

(define (version-major+minor version)
  "\"2.41.1\" -> \"2.41\"."
  (let ((parts (string-split version #\.)))
    (if (>= (length parts) 2)
        (string-append (car parts) "." (cadr parts))
        version)))

(define* (single-locale-directory locales #:key (libc glibc))
  "Return a directory containing all of LOCALES for LIBC compiled, in a
sub-directory named after LIBC's version, since locale data formats change
between libc versions."
  (define version
    (version-major+minor (package-version libc)))

  (define build
    (with-imported-modules '((gnu build locale) (guix build utils))
      #~(begin
          (use-modules (gnu build locale))

          (mkdir #$output)
          (mkdir (string-append #$output "/" #$version))

          ;; 'localedef' executes 'gzip' to access compressed locale sources.
          (setenv "PATH"
                  (string-append #+gzip "/bin:" #+libc "/bin"))

          (setvbuf (current-output-port) 'line)
          (setvbuf (current-error-port) 'line)
          (for-each (lambda (locale codeset name)
                      (build-locale locale
                                    #:codeset codeset
                                    #:name name
                                    #:directory
                                    (string-append #$output "/" #$version)))
                    '#$(map locale-definition-source locales)
                    '#$(map locale-definition-charset locales)
                    '#$(map locale-definition-name locales)))))

  (computed-file (string-append "locale-" version) build))

(define* (locale-directory locales
                           #:key (libcs %default-locale-libcs))
  "Return a locale directory containing all of LOCALES for each libc package
listed in LIBCS."
  (if (= 1 (length libcs))
      (single-locale-directory locales #:libc (car libcs))
      (let ((dirs (map (lambda (libc)
                         (single-locale-directory locales #:libc libc))
                       libcs)))
        (computed-file "locale-multiple-versions"
                       (with-imported-modules '((guix build union))
                         #~(begin
                             (use-modules (guix build union))
                             (union-build #$output (list #$@dirs))))
                       #:options '(#:local-build? #t
                                   #:substitutable? #f)))))

(define %default-locale-libcs
  ;; The libcs for which we build locales by default.
  (list glibc))

(define %default-locale-definitions
  ;; Arbitrary set of locales that are built by default, to make first-time
  ;; use easier for some people.
  (letrec-syntax ((utf8-locale (syntax-rules ()
                                 ((_ name*)
                                  (locale-definition
                                   ;; "utf8" is the "normalized codeset".
                                   (name (string-append name* ".utf8"))
                                   (source name*)
                                   (charset "UTF-8")))))
                  (utf8-locales (syntax-rules ()
                                  ((_ name ...)
                                   (list (utf8-locale name) ...)))))
    ;; "en_US.UTF-8" for compatibility with Guix 0.8.
    (cons (locale-definition
           (name "en_US.UTF-8")
           (source "en_US")
           (charset "UTF-8"))
          (utf8-locales "ca_ES"
                        "cs_CZ"
                        "da_DK"
                        "de_DE"
                        "el_GR"
                        "en_AU"
                        "en_CA"
                        "en_GB"
                        "en_US"
                        "es_AR"
                        "es_CL"
                        "es_ES"
                        "es_MX"
                        "fi_FI"
                        "fr_BE"
                        "fr_CA"
                        "fr_CH"
                        "fr_FR"
                        "ga_IE"
                        "it_IT"
                        "ja_JP"
                        "ko_KR"
                        "nb_NO"
                        "nl_NL"
                        "pl_PL"
                        "pt_PT"
                        "ro_RO"
                        "ru_RU"
                        "sv_SE"
                        "tr_TR"
                        "uk_UA"
                        "vi_VN"
                        "zh_CN"))))
