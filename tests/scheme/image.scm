;;; (gnu image), (gnu system image), (gnu system images hurd) and (guix
;;; platform): the image records and image types of Guix 1.5.
(use-modules (srfi srfi-64)
             (srfi srfi-1)
             (gnu image)
             (gnu system)
             (gnu system file-systems)
             (gnu system uuid)
             (gnu system image)
             (gnu system images hurd)
             (guix gexp)
             (guix platform)
             (guix platforms x86)
             (guix utils))

(test-begin "image")

(define (partition->list p)
  (list (partition-label p) (partition-file-system p)
        (partition-file-system-options p) (partition-offset p)
        (partition-flags p) (partition-size p)))

(define (error-message thunk)
  "The message of the error THUNK raises."
  (guard (c (#t (error-object-message c)))
    (thunk)
    #f))


;;; Records and their defaults.

(test-group "partition"
  (let ((p (partition (label "root"))))
    (test-assert (partition? p))
    (test-eq 'guess (partition-size p))
    (test-eqv 0 (partition-offset p))
    (test-equal "ext4" (partition-file-system p))
    (test-equal '() (partition-file-system-options p))
    (test-eqv #f (partition-uuid p))
    (test-equal '() (partition-flags p))
    (test-eqv #f (partition-initializer p)))
  (let* ((p (partition (label "a") (size 1024) (flags '(boot))))
         (q (partition (inherit p) (label "b"))))
    (test-equal '("b" "ext4" () 0 (boot) 1024) (partition->list q)))
  (test-equal "unsupported partition flag(s): (foo)"
    (error-message (lambda () (partition (label "x") (flags '(boot foo))))))
  (test-equal "size (big) can only be 'guess or a numeric expression"
    (error-message (lambda () (partition (label "x") (size "big")))))
  (test-equal "the partition offset (#f) can only be a numeric expression"
    (error-message (lambda () (partition (label "x") (offset #f))))))

(test-group "image"
  (let ((i (image (format 'disk-image) (operating-system #f))))
    (test-assert (image? i))
    (test-eqv #f (image-name i))
    (test-eqv #f (image-platform i))
    (test-eq 'guess (image-size i))
    (test-eq 'mbr (image-partition-table-type i))
    (test-equal '() (image-partitions i))
    (test-eqv #t (image-compression? i))
    (test-eqv #t (image-volatile-root? i))
    (test-eqv #f (image-shared-store? i))
    (test-eqv #f (image-shared-network? i))
    (test-eqv #t (image-substitutable? i))
    (test-eqv 4096 (image-size (image (inherit i) (size 4096)))))
  (test-equal "floppy: invalid 'format' value"
    (error-message (lambda () (image (format 'floppy) (operating-system #f)))))
  (test-equal "apm: invalid 'partition-table-type' value"
    (error-message (lambda () (image (format 'disk-image) (operating-system #f)
                                     (partition-table-type 'apm))))))

(test-group "platforms"
  (test-equal "i586-pc-gnu" (platform-target i586-gnu))
  (test-equal "i586-gnu" (platform-system i586-gnu))
  (test-equal "/lib/ld.so.1" (platform-glibc-dynamic-linker i586-gnu))
  (test-eqv #f (platform-linux-architecture i586-gnu))
  (test-equal "x86_64-pc-gnu" (platform-target x86_64-gnu))
  (test-eq i586-gnu (lookup-platform-by-system "i586-gnu"))
  (test-eq x86_64-linux (lookup-platform-by-target "x86_64-linux-gnu"))
  (test-eq i586-gnu (lookup-platform-by-target-or-system "i586-pc-gnu"))
  (test-equal "i586-pc-gnu" (platform-system->target "i586-gnu"))
  (test-eqv #f (false-if-platform-not-found (lookup-platform-by-system "pdp11")))
  (test-assert (guard (c ((platform-not-found-error? c)
                          (equal? "pdp11"
                                  (platform-not-found-error-target-or-system c))))
                 (lookup-platform-by-system "pdp11")
                 #f))
  (test-assert (member "i586-gnu" (systems))))


;;; (gnu system image): the generic images.

(test-group "generic images"
  (test-eqv 1048576 root-offset)
  (test-equal "Guix_image" root-label)
  (test-equal '("Guix_image" "ext4" ("-O" "^metadata_csum,^64bit") 0 (boot) guess)
    (partition->list root-partition))
  (test-equal '("GNU-ESP" "vfat" () 1048576 (esp) 41943040)
    (partition->list esp-partition))
  (test-equal '(("Guix_image" "ext4" ("-O" "^metadata_csum,^64bit") 1048576
                 (boot) guess))
    (map partition->list (image-partitions mbr-disk-image)))
  (test-eq 'gpt (image-partition-table-type efi-disk-image))
  (test-eqv #f (image-operating-system mbr-disk-image))
  (test-eqv #f (image-volatile-root? (raw-with-offset-disk-image)))
  (test-eqv 4096 (partition-offset
                  (first (image-partitions (raw-with-offset-disk-image 4096)))))
  (test-equal '("MY-ISO" "Guix_image")
    (map partition-label
         (image-partitions (image-with-label mbr-hybrid-disk-image "MY-ISO")))))


;;; Image types, by name.

(define (type-of name) (lookup-image-type-by-name name))

(test-group "lookup-image-type-by-name"
  (test-eq hurd-image-type (type-of 'hurd-raw))
  (test-eq hurd-qcow2-image-type (type-of 'hurd-qcow2))
  (test-eq hurd64-qcow2-image-type (type-of 'hurd64-qcow2))
  (test-eq qcow2-image-type (type-of 'qcow2))
  (test-eq mbr-raw-image-type (type-of 'mbr-raw))
  (test-eq raw-image-type (type-of 'raw))
  (test-eq efi-raw-image-type (type-of 'efi-raw))
  (test-eq 'hurd-raw (image-type-name hurd-image-type))
  (test-assert (every image-type? (force %image-types)))
  (test-equal "hurd-rwa: no such image type"
    (error-message (lambda () (lookup-image-type-by-name 'hurd-rwa)))))


;;; GNU/Hurd images.

(test-group "hurd-disk-image"
  (test-eqv #f (image-operating-system hurd-disk-image))
  (test-eq 'disk-image (image-format hurd-disk-image))
  (test-eq i586-gnu (image-platform hurd-disk-image))
  (test-eq x86_64-gnu (image-platform hurd64-disk-image))
  (let ((root (first (image-partitions hurd-disk-image))))
    (test-equal '("Guix_image" "ext2" ("-o" "hurd" "-O" "ext_attr") 1048576
                  (boot) guess)
      (partition->list root))
    (test-eq hurd-initialize-root-partition (partition-initializer root))
    (test-assert (gexp? hurd-initialize-root-partition))
    ;; Guile's store database on the Hurd cannot use a WAL journal.
    (test-assert (string-contains
                  (object->string
                   (gexp->approximate-sexp hurd-initialize-root-partition))
                  "#:make-device-nodes make-hurd-device-nodes #:wal-mode? #f"))))

(test-group "os->image"
  (let ((raw   (os->image hurd-barebones-os #:type (type-of 'hurd-raw)))
        (qcow2 (os->image hurd-barebones-os #:type (type-of 'hurd-qcow2))))
    (test-eq hurd-barebones-os (image-operating-system raw))
    (test-eq 'disk-image (image-format raw))
    (test-eq 'compressed-qcow2 (image-format qcow2))
    (test-equal "i586-pc-gnu" (platform-target (image-platform qcow2)))
    (test-equal (map partition->list (image-partitions hurd-disk-image))
      (map partition->list (image-partitions qcow2))))
  (let ((img (os+platform->image hurd-barebones-os x86_64-gnu
                                 #:type hurd-image-type)))
    (test-eq x86_64-gnu (image-platform img)))
  (test-eq 'hurd-barebones-disk-image (image-name hurd-barebones-disk-image))
  (test-eq 'hurd-barebones.qcow2 (image-name hurd-barebones-qcow2-image))
  (let ((img (os->image hurd-barebones-os #:type qcow2-image-type)))
    (test-eq 'image.qcow2 (image-name img))
    (test-equal '(esp boot) (append-map partition-flags (image-partitions img)))))


;;; The root partition of the image schemos builds: what the operating system
;;; mounts "/" by (Guix would rewrite the OS to mount a UUID it computes).

(test-group "image-with-root-file-system"
  (let* ((img  (os->image hurd-barebones-os #:type hurd-image-type))
         (root (find-root-partition (image-with-root-file-system img))))
    (test-equal "my-root" (partition-label root))
    (test-eqv #f (partition-uuid root))
    (test-eq 'guess (partition-size root))
    (test-equal "ext2" (partition-file-system root)))
  (let* ((img  (image (inherit (os->image hurd-barebones-os
                                          #:type hurd-image-type))
                      (size (expt 2 30))))
         (root (find-root-partition (image-with-root-file-system img))))
    (test-eqv (expt 2 30) (partition-size root)))
  (let* ((id   (uuid "1d2ea4f1-4c2c-4d8a-8f43-0e6fcb13a3e5"))
         (os   (operating-system
                 (inherit hurd-barebones-os)
                 (file-systems (list (file-system
                                       (device id)
                                       (mount-point "/")
                                       (type "ext2"))))))
         (root (find-root-partition
                (image-with-root-file-system
                 (os->image os #:type hurd-image-type)))))
    (test-equal "Guix_image" (partition-label root))
    (test-assert (uuid=? id (partition-uuid root)))))


;;; system-image: the file-like object the image backend builds.

(test-group "system-image"
  (let ((s (system-image hurd-barebones-disk-image)))
    (test-assert (system-image? s))
    (test-assert (file-like? s))
    (test-eq hurd-barebones-disk-image (system-image-image s))
    ;; From x86_64-linux, a GNU/Hurd image is cross-built.
    (test-equal "i586-pc-gnu" (system-image-target s)))
  (test-eqv #f (system-image-target
                (system-image (os->image hurd-barebones-os
                                         #:type qcow2-image-type))))
  (parameterize ((%current-system "i586-gnu"))
    (test-eqv #f (system-image-target (system-image hurd-barebones-disk-image)))))

(test-group "find-image"
  (test-eq hurd-disk-image (find-image "ext2" "i586-pc-gnu"))
  (test-eq iso9660-image (find-image "iso9660" #f))
  (test-eq efi-disk-image (find-image "ext4" #f)))

(test-end "image")
