;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages package-management): GNU Guix itself, at the revision
;;; GNU Guix 1.5's package collection names, and its artwork (the icons and
;;; backgrounds of %base-packages-artwork).  Its input labels are Guix's
;;; ("glibc-utf8-locales", "graphviz", "po4a", ...); inputs outside the part
;;; of the package graph schemos models are left out (see docs/packages.md).

(define-module (gnu packages package-management)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages base)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages gettext)
  #:use-module (gnu packages gnupg)
  #:use-module (gnu packages graphviz)
  #:use-module (gnu packages guile)
  #:use-module (gnu packages ssh)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix git-download)
  #:use-module (guix build-system gnu)
  #:use-module (guix build-system copy)
  #:use-module (guix build-system trivial))

(define-public guix
  ;; Latest version of Guix, which may or may not correspond to a release.
  (let ((version "1.4.0")
        (commit "0772d36076d686895a43063cdaf18039b2e5d713")
        (revision 36))
    (package
      (name "guix")
      (version (if (zero? revision)
                   version
                   (string-append version "-"
                                  (number->string revision)
                                  "." (string-take commit 7))))
      (source (origin
                (method git-fetch)
                (uri (git-reference
                      (url "https://git.savannah.gnu.org/git/guix.git")
                      (commit commit)))
                (sha256
                 (base32
                  "1vqzmjp2aml8y422ilirjrwg7p2dj7j907bsh1jcyvci5dzprhhl"))
                (file-name (string-append "guix-" version "-checkout"))))
      (build-system gnu-build-system)
      (arguments
       `(#:parallel-build? #f
         #:configure-flags (list ,(string-append "--with-channel-commit=" commit)
                                 "--localstatedir=/var"
                                 "--sysconfdir=/etc")
         #:parallel-tests? #f))
      (native-inputs `(("locales" ,(libc-utf8-locales-for-target))
                       ("guile" ,guile-3.0-latest)
                       ("guile-gcrypt" ,guile-gcrypt)
                       ("guile-json" ,guile-json-3)
                       ("guile-ssh" ,guile-ssh)
                       ("graphviz" ,graphviz-minimal)
                       ("po4a" ,po4a-minimal)))
      (inputs
       `(("bash-minimal" ,bash-minimal)
         ("bzip2" ,bzip2)
         ("gzip" ,gzip)
         ("libgcrypt" ,libgcrypt)
         ("zlib" ,zlib)
         ("guile" ,guile-3.0-latest)
         ("glibc-utf8-locales" ,(libc-utf8-locales-for-target))))
      (propagated-inputs
       `(("guile-gcrypt" ,guile-gcrypt)
         ("guile-json" ,guile-json-3)
         ("guile-ssh" ,guile-ssh)))
      (home-page "https://www.gnu.org/software/guix/")
      (synopsis "Functional package manager for installed software packages and versions")
      (description
       "GNU Guix is a functional package manager for the GNU system, and is
also a distribution thereof.")
      (license license:gpl3+))))

(define %artwork-repository
  ;; Guix defines this origin in (gnu artwork), a module of its own that
  ;; schemos does not have; it is kept here, private, until it does.
  (let ((commit "4c7f2ce6428a63e202cd2a9474a06f68a946934d"))
    (origin
      (method git-fetch)
      (uri (git-reference
             (url "https://codeberg.org/guix/artwork.git")
             (commit commit)))
      (file-name (string-append "guix-artwork-" (string-take commit 7)
                                "-checkout"))
      (sha256
       (base32
        "1rl569759q9wm1dxn7nkq3873d2k92giic7aa6jwzwr3n16prc7y")))))

(define-public guix-icons
  (package
    (name "guix-icons")
    (version "0.1")
    (source %artwork-repository)
    (build-system trivial-build-system)
    ;; Guix's builder renders logo/Guix.svg to PNG icons of several sizes with
    ;; guile-rsvg and guile-cairo (extensions of the builder); Guix also has
    ;; imagemagick as a native input.
    (arguments
     `(#:modules ((guix build utils)
                  (gnu build svg))
       ;; There's no point in cross-compiling: a native build gives the same
       ;; result, independently of the system type.
       #:target #f))
    (home-page "https://www.gnu.org/software/guix/")
    (synopsis "GNU Guix icons")
    (description "This package contains GNU Guix icons organized according to
the Icon Theme Specification.  They can be used by applications querying the
GTK icon cache for instance.")
    (license license:cc-by-sa4.0)))

(define-public guix-backgrounds
  (package
    (name "guix-backgrounds")
    (version "0.1")
    (source %artwork-repository)
    (build-system copy-build-system)
    (arguments
     (list #:install-plan
           #~'(("backgrounds" "share/backgrounds/guix" #:exclude ("README")))))
    (home-page "https://www.gnu.org/software/guix/")
    (synopsis "Background images for GNU Guix")
    (description "The SVG files in this directory are intended to be used as
backgrounds for different components of the GNU system like login managers and
desktop environments.  The backgrounds are available in different aspect ratios
which are indicated in the file name.")
    (license (list license:public-domain license:cc-by-sa4.0))))
